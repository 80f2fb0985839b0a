import WardenJSON
import WardenPolicy

/// The scan as JSON for programs: an array of one object per tool, in each server's own order.
enum ScanJSON {
    /// `[{"name", "category", "severity", "evidence": [...], "description", "poisoning": [...]}, ...]`, one object a
    /// line; each object starts with `"server"` when `includesServer` (a gateway config's servers). A missing
    /// description is null; `poisoning` lists `{"kind", "field", "span"}` for what looks aimed at the model.
    static func render(_ servers: [ScannedServer], includesServer: Bool) -> String {
        var objects: [String] = []
        for server in servers {
            for tool in server.assessments {
                var object = JSONObject()
                if includesServer { object["server"] = server.name.map(JSONValue.string) ?? .null }
                object["name"] = .string(tool.name)
                object["category"] = .string(tool.category.description)
                object["severity"] = .string(tool.severity.description)
                object["evidence"] = .array(tool.evidence.map { .string($0.description) })
                object["description"] = tool.description.map(JSONValue.string) ?? .null
                object["poisoning"] = .array(
                    (server.poisoning[tool.name] ?? []).map { finding in
                        ["kind": .string(finding.kind.rawValue), "field": .string(finding.field), "span": .string(finding.span)]
                    }
                )
                objects.append(JSONValue.object(object).encodedString)
            }
        }
        guard !objects.isEmpty else { return "[]\n" }
        return "[\n  " + objects.joined(separator: ",\n  ") + "\n]\n"
    }
}
