import WardenJSON
import WardenSchema

/// Compiles schema text, for tests that state schemas as JSON.
func compile(_ text: String, strictFormats: Bool = false, limits: SchemaLimits = .default) throws -> JSONSchema {
    try JSONSchema(compiling: JSONParser.parse(text), strictFormats: strictFormats, limits: limits)
}

/// The compile error for schema text, or nil when it compiles.
func compileError(_ text: String) throws -> SchemaError? {
    let document = try JSONParser.parse(text)
    do {
        _ = try JSONSchema(compiling: document)
        return nil
    } catch {
        return error
    }
}

/// The violations' descriptions for an instance given as JSON text.
func descriptions(_ schema: JSONSchema, _ instance: String) throws -> [String] {
    schema.validate(try JSONParser.parse(instance)).map(\.description)
}
