import WardenJSON

/// Looks through a tool's description, title and argument descriptions for content aimed at the model: orders that
/// override the user, tags that fake authority, characters a person cannot see, encoded payloads, references to
/// secrets and instructions to send data somewhere.
///
/// Each check is narrow on purpose: a description that tells the model how to use the tool ("pass an absolute
/// path", "call list_tables first") is normal and must not be flagged, or people learn to ignore the findings.
public enum PoisoningCheck {
    /// At most this many properties are read from a schema, at most `maxDepth` levels down.
    static let maxProperties = 500
    static let maxDepth = 6

    /// Every finding in `tool`, in field order.
    public static func findings(in tool: ToolDefinition) -> [PoisoningFinding] {
        var findings: [PoisoningFinding] = []
        findings += PoisoningText.hiddenCharacters(in: tool.name, field: "name")
        if let description = tool.description { findings += check(description, field: "description") }
        if let title = tool.title { findings += check(title, field: "title") }
        var budget = maxProperties
        readProperties(of: tool.inputSchema, path: "", depth: 0, budget: &budget, into: &findings)
        return findings
    }

    /// The findings in one piece of text.
    public static func check(_ text: String, field: String) -> [PoisoningFinding] {
        var findings = PoisoningText.hiddenCharacters(in: text, field: field)
        findings += PoisoningText.tags(in: text, field: field)
        findings += PoisoningPhrases.instructions(in: text, field: field)
        findings += PoisoningText.secretReferences(in: text, field: field)
        findings += PoisoningPhrases.exfiltration(in: text, field: field)
        findings += PoisoningText.encodedRuns(in: text, field: field)
        return findings
    }

    private static func readProperties(
        of schema: JSONValue?, path: String, depth: Int, budget: inout Int, into findings: inout [PoisoningFinding]
    ) {
        guard depth < maxDepth, let properties = schema?["properties"]?.objectValue else { return }
        for (name, property) in properties {
            guard budget > 0 else { return }
            budget -= 1
            let argument = path.isEmpty ? name : "\(path).\(name)"
            findings += PoisoningText.hiddenCharacters(in: name, field: "argument name \(argument)")
            if let text = property["description"]?.stringValue { findings += check(text, field: "argument \(argument)") }
            if let text = property["title"]?.stringValue { findings += check(text, field: "argument \(argument) title") }
            readProperties(of: property, path: argument, depth: depth + 1, budget: &budget, into: &findings)
            readProperties(of: property["items"], path: argument + "[]", depth: depth + 1, budget: &budget, into: &findings)
        }
    }
}
