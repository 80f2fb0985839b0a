import WardenJSON

/// The demo server's tools, in the fixed order `tools/list` pages through them.
///
/// They cover what a policy cares about: reads, writes, a destructive delete, an export that moves data out, a
/// charge with an amount, and two that exercise the protocol (a server-to-client elicitation, progress).
enum DemoToolCatalog {
    static let tools: [DemoTool] = [
        DemoTool(
            name: "read_record",
            title: "Read record",
            description: "Returns the value stored under a record id.",
            arguments: [("id", "string", "Record id, such as r-1")],
            required: ["id"],
            annotations: ["readOnlyHint": true, "openWorldHint": false]
        ),
        DemoTool(
            name: "write_record",
            title: "Write record",
            description: "Stores a value under a record id, replacing any previous value.",
            arguments: [("id", "string", "Record id"), ("value", "string", "New value")],
            required: ["id", "value"],
            annotations: ["readOnlyHint": false, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false]
        ),
        DemoTool(
            name: "delete_record",
            title: "Delete record",
            description: "Deletes a record permanently.",
            arguments: [("id", "string", "Record id")],
            required: ["id"],
            annotations: ["readOnlyHint": false, "destructiveHint": true, "idempotentHint": true, "openWorldHint": false]
        ),
        DemoTool(
            name: "start_export_job",
            title: "Start export job",
            description: "Starts exporting a dataset to a storage URI outside the server.",
            arguments: [
                ("destination_uri", "string", "Where the export is written, such as s3://bucket/prefix"),
                ("dataset", "string", "Dataset to export"),
            ],
            required: ["destination_uri", "dataset"],
            annotations: ["readOnlyHint": false, "destructiveHint": false, "openWorldHint": true]
        ),
        DemoTool(
            name: "create_charge",
            title: "Create charge",
            description: "Charges the customer an amount of money.",
            arguments: [("amount", "number", "Amount to charge"), ("currency", "string", "ISO 4217 currency code")],
            required: ["amount", "currency"],
            annotations: ["readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true]
        ),
        DemoTool(
            name: "echo",
            title: "Echo",
            description: "Returns its text unchanged.",
            arguments: [("text", "string", "Text to echo")],
            required: ["text"],
            annotations: ["readOnlyHint": true, "openWorldHint": false]
        ),
        DemoTool(
            name: "ask_user",
            title: "Ask the user",
            description: "Asks the user a question through the client and returns the answer.",
            arguments: [("question", "string", "Question to ask")],
            required: ["question"],
            annotations: ["readOnlyHint": true, "openWorldHint": false]
        ),
        DemoTool(
            name: "slow_task",
            title: "Slow task",
            description: "Works through a number of steps, reporting progress after each.",
            arguments: [("steps", "integer", "Number of steps, 1 to 1000")],
            required: ["steps"],
            annotations: ["readOnlyHint": true, "openWorldHint": false]
        ),
    ]

    /// Each tool's `tools/list` entry, encoded once.
    static let definitions: [JSONValue] = tools.map(\.definition)

    static func contains(_ name: String) -> Bool { tools.contains { $0.name == name } }
}
