public import WardenJSON

/// A JSON Schema compiled once from a tool's `inputSchema`, then used to check every call's arguments.
public struct JSONSchema: Sendable {
    let document: JSONValue

    public init(compiling document: JSONValue) {
        self.document = document
    }
}
