import WardenJSON

/// One tool the demo server offers, with the schema and annotations a client (and Warden's classifier) reads.
struct DemoTool {
    var name: String
    var title: String
    var description: String
    /// Argument name → (JSON Schema type, description), in the order they are listed.
    var arguments: [(name: String, type: String, description: String)]
    var required: [String]
    var annotations: JSONObject

    /// The tool as it appears in a `tools/list` result.
    var definition: JSONValue {
        var properties = JSONObject()
        for argument in arguments {
            properties[argument.name] = ["type": .string(argument.type), "description": .string(argument.description)]
        }
        var annotations = self.annotations
        annotations["title"] = .string(title)
        return [
            "name": .string(name),
            "title": .string(title),
            "description": .string(description),
            "inputSchema": [
                "type": "object",
                "properties": .object(properties),
                "required": .array(required.map { .string($0) }),
            ],
            "annotations": .object(annotations),
        ]
    }
}
