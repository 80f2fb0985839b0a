import WardenJSON

/// Builds the JSON-RPC messages the demo server writes.
enum Message {
    static func response(id: JSONValue, result: JSONObject) -> [UInt8] {
        JSONValue.object(["jsonrpc": "2.0", "id": id, "result": .object(result)]).encodedBytes
    }

    static func error(id: JSONValue, _ error: RPCError) -> [UInt8] {
        JSONValue.object(["jsonrpc": "2.0", "id": id, "error": error.object]).encodedBytes
    }

    static func request(id: JSONValue, method: String, params: JSONObject) -> [UInt8] {
        JSONValue.object(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": .object(params)]).encodedBytes
    }

    static func notification(method: String, params: JSONObject) -> [UInt8] {
        JSONValue.object(["jsonrpc": "2.0", "method": .string(method), "params": .object(params)]).encodedBytes
    }
}
