public import WardenJSON
public import WardenPolicy
public import WardenSchema

/// What Warden knows about one tool the server listed: its category, its compiled input schema, and whether its
/// definition carries instructions aimed at the model.
public struct ListedTool: Sendable {
    public let name: String
    /// The entry exactly as the server listed it.
    public let definition: JSONValue
    public let assessment: ToolAssessment
    /// The compiled `inputSchema`, or why it could not be compiled (the tool's calls are then judged by the rules
    /// alone); nil when the tool has no schema.
    public let schema: Result<JSONSchema, SchemaError>?
    public let findings: [PoisoningFinding]
    /// The pin of the definition (see `ToolFingerprint`) and the canonical text it is the hash of.
    public let fingerprint: String
    public let canonical: String

    init(definition: JSONValue, tool: ToolDefinition, strictFormats: Bool) {
        name = tool.name
        self.definition = definition
        assessment = ToolClassifier.assess(tool)
        findings = PoisoningCheck.findings(in: tool)
        (fingerprint, canonical) = ToolFingerprint.of(definition)
        if let inputSchema = tool.inputSchema {
            schema = Result { () throws(SchemaError) in try JSONSchema(compiling: inputSchema, strictFormats: strictFormats) }
        } else {
            schema = nil
        }
    }
}
