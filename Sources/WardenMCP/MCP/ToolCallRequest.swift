public import WardenJSON

/// The parts of a `tools/call` request that policy looks at, read from its `params`.
public struct ToolCallRequest: Sendable, Hashable {
    /// The tool's name, as the server listed it.
    public var name: String
    /// The arguments object, or `.null` when the request has none.
    public var arguments: JSONValue
    /// `params._meta.progressToken`, when the client asked for progress notifications.
    public var progressToken: JSONValue?
    /// `params._meta`, when present.
    public var meta: JSONObject?

    public init(name: String, arguments: JSONValue = .null, progressToken: JSONValue? = nil, meta: JSONObject? = nil) {
        self.name = name
        self.arguments = arguments
        self.progressToken = progressToken
        self.meta = meta
    }

    /// Reads `params`, refusing what no server could act on: params that are not an object, a missing or non-string
    /// `name`, or `arguments` that are not an object. An explicit `"arguments": null` counts as no arguments.
    ///
    /// The error is `.invalidRequest` without an id (the caller knows it); answer it with `invalidParams` (-32602).
    public init(params: JSONValue) throws(MessageProblem) {
        guard case .object(let object) = params else {
            throw .invalidRequest("tools/call needs `params` as an object with the tool's `name`", id: nil)
        }
        guard let name = object["name"]?.stringValue else {
            throw .invalidRequest("tools/call needs `params.name`, the tool's name as a string", id: nil)
        }
        let arguments = object["arguments"] ?? .null
        switch arguments {
        case .object, .null: break
        default: throw .invalidRequest("`params.arguments` of tools/call must be an object", id: nil)
        }
        let meta = object["_meta"]?.objectValue
        self.init(name: name, arguments: arguments, progressToken: meta?[MetaKey.progressToken], meta: meta)
    }
}
