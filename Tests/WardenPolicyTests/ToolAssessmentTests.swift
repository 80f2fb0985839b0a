import Testing
import WardenJSON
import WardenPolicy

/// Severity, evidence, schema and annotations: what `warden scan` prints for each tool.
struct ToolAssessmentTests {
    func schema(_ properties: [String: String]) -> JSONValue {
        var members = JSONObject()
        for (name, type) in properties.sorted(by: { $0.key < $1.key }) { members[name] = ["type": .string(type)] }
        return ["type": "object", "properties": .object(members)]
    }

    func assess(
        _ name: String, _ description: String? = nil, arguments: [String: String] = [:], annotations: JSONObject? = nil
    ) -> ToolAssessment {
        ToolClassifier.assess(
            ToolDefinition(name: name, description: description, inputSchema: schema(arguments), annotations: annotations))
    }

    @Test("start_dicom_export_job is an execute tool of high severity with its destination in the evidence")
    func dicomExport() {
        let export = assess(
            "start_dicom_export_job", "Start a DICOM export job.",
            arguments: ["datastore_id": "string", "output_s3_uri": "string", "data_access_role_arn": "string"])
        #expect(export.category == .execute)
        #expect(export.severity == .high)
        #expect(export.destinationArguments == ["output_s3_uri"])
        #expect(export.evidence.contains { $0.source == .argument && $0.text == "output_s3_uri" && $0.meaning == "data leaves" })
        #expect(export.evidence.first?.source == .name)
    }

    @Test(
        "severity follows the README's table",
        arguments: [
            ("delete_datastore", ToolSeverity.critical), ("deleteRepository", .critical), ("delete_image_set", .high),
            ("drop-bucket", .critical), ("create_refund", .high), ("create_payment_link", .high), ("payout_to_account", .high),
            ("transfer_funds", .critical), ("get_payment_link", .medium), ("list_payments", .medium), ("list_files", .low),
            ("get_secret_value", .medium), ("create_issue", .medium), ("send_email", .high), ("put_bucket_policy", .high),
            ("run_query", .high), ("execute_shell_command", .critical), ("sequentialthinking", .low),
        ]
    )
    func severities(name: String, severity: ToolSeverity) {
        #expect(assess(name).severity == severity, "\(name)")
    }

    @Test(
        "multi-word, camelCase, kebab-case and non-English names",
        arguments: [
            ("list_deleted_items", ToolCategory.read), ("untag_resource", .write), ("remove_label_from_issue", .write),
            ("remove_series_from_image_set", .destructive), ("start_instance", .write), ("start_build", .execute),
            ("getURLContent", .read), ("delete-file", .destructive), ("eliminarArchivo", .destructive),
            ("crearFactura", .financial), ("datei-loeschen", .destructive), ("cancel_subscription", .financial),
            ("create_webhook_subscription", .write), ("get_payment_link", .read), ("git_status", .read), ("sql", .execute),
        ]
    )
    func names(name: String, category: ToolCategory) {
        #expect(assess(name).category == category, "\(name)")
    }

    @Test("arguments the server runs make a tool execute, money arguments make a change financial")
    func schemaFeatures() {
        let command = assess("do_it", arguments: ["command": "string"])
        #expect(command.category == .execute)
        #expect(command.severity == .critical)
        #expect(command.evidence.contains { $0.text == "command" && $0.meaning.contains("code runs") })
        let money = assess("create_thing", arguments: ["amount": "number", "currency": "string"])
        #expect(money.category == .financial)
        #expect(assess("search", "Search the docs", arguments: ["query": "string"]).category == .read)
        #expect(assess("query", "Run a read-only SQL query", arguments: ["query": "string"]).category == .execute)
        let forced = assess("delete_file", arguments: ["path": "string", "force": "boolean"])
        #expect(forced.evidence.contains { $0.text == "force" })
    }

    @Test("annotations raise the severity and never lower it below what the name says")
    func annotationsOnlyRaise() {
        let benign = assess("tidy", "Tidies up.", annotations: ["destructiveHint": true])
        #expect(benign.category == .destructive)
        #expect(benign.severity >= .high)
        let liar = assess("delete_everything", "Deletes all records.", annotations: ["readOnlyHint": true, "destructiveHint": false])
        #expect(liar.category == .destructive)
        #expect(liar.severity >= .high)
        #expect(liar.evidence.contains { $0.text == "readOnlyHint: true" && $0.meaning.contains("not trusted") })
        #expect(assess("get_weather", annotations: ["openWorldHint": true]).severity == .medium)
        #expect(assess("get_weather").severity == .low)
    }

    @Test("an empty description is reported and the tool judged on its name")
    func emptyDescription() {
        for description in [nil, "", "  \n"] as [String?] {
            let tool = assess("delete_row", description)
            #expect(tool.category == .destructive)
            #expect(tool.evidence.contains { $0.source == .description && $0.text == "(none)" })
        }
    }

    @Test("a policy's category override wins and is the first evidence")
    func policyOverride() {
        let tool = ToolClassifier.assess(ToolDefinition(name: "get_thing"), override: .destructive)
        #expect(tool.category == .destructive)
        #expect(tool.severity == .high)
        #expect(tool.evidence.first?.source == .policy)
    }

    @Test(
        "every destructive or financial verb gives at least high, whatever the hints say",
        arguments: ["delete", "drop", "purge", "refund", "charge", "pay"]
    )
    func neverBelowHigh(verb: String) {
        for object in ["item", "x", "payment", "tag_set", "report"] {
            for hints in [nil, ["readOnlyHint": true], ["destructiveHint": false, "readOnlyHint": true]] as [JSONObject?] {
                let tool = assess("\(verb)_\(object)", "Does it.", annotations: hints)
                if tool.category == .destructive || tool.category == .financial { #expect(tool.severity >= .high) }
                #expect(tool.category == .destructive || tool.category == .financial, "\(verb)_\(object)")
            }
        }
    }
}
