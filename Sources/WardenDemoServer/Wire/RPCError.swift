import WardenJSON

/// A JSON-RPC error the demo server answers with, as MCP servers in the wild do.
struct RPCError: Error {
    static let parseError: Int = -32700
    static let invalidRequest: Int = -32600
    static let methodNotFound: Int = -32601
    static let invalidParams: Int = -32602
    /// 2026-07-28's `UnsupportedProtocolVersionError`: the request named a revision this server does not serve.
    static let unsupportedProtocolVersion: Int = -32022

    var code: Int
    var message: String
    var data: JSONValue?

    init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// The `error` member of a JSON-RPC response.
    var object: JSONValue {
        var error: JSONObject = ["code": .number(JSONNumber(code)), "message": .string(message)]
        if let data { error["data"] = data }
        return .object(error)
    }
}
