public import WardenJSON

/// The parts of a `tools/list` entry that say what a tool does: everything the classifier and the pins look at.
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var title: String?
    public var description: String?
    /// The tool's `inputSchema`, as the server sent it.
    public var inputSchema: JSONValue?
    /// The tool's `annotations` object (`readOnlyHint`, `destructiveHint`, …), as the server sent it.
    public var annotations: JSONObject?

    public init(
        name: String, title: String? = nil, description: String? = nil, inputSchema: JSONValue? = nil,
        annotations: JSONObject? = nil
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.annotations = annotations
    }

    /// Reads one entry of a `tools/list` result; nil when it has no string `name`.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue else { return nil }
        self.init(
            name: name, title: json["title"]?.stringValue ?? json["annotations"]?["title"]?.stringValue,
            description: json["description"]?.stringValue, inputSchema: json["inputSchema"],
            annotations: json["annotations"]?.objectValue)
    }
}
