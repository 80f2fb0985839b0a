public import WardenJSON

/// Writes the JSON-RPC messages the proxy itself originates: error answers, results, requests and notifications.
///
/// The output is compact and has no trailing newline (the transport adds its own delimiter). Ids are written as
/// their `raw` text, so an answer repeats the id exactly as the peer spelled it.
public enum JSONRPCMessage {
    /// An error response; `id` is written as `null` when it is nil (the request's id could not be read).
    public static func error(id: JSONRPCID?, code: Int, message: String, data: JSONValue? = nil) -> [UInt8] {
        var output = header(capacity: 64 + message.utf8.count)
        appendID(id, to: &output)
        output.append(contentsOf: #","error":{"code":"#.utf8)
        output.append(contentsOf: String(code).utf8)
        output.append(contentsOf: #","message":"#.utf8)
        JSONValue.encode(string: message, into: &output)
        if let data {
            output.append(contentsOf: #","data":"#.utf8)
            data.encode(into: &output)
        }
        output.append(contentsOf: "}}".utf8)
        return output
    }

    /// A successful response.
    public static func result(id: JSONRPCID, result: JSONValue) -> [UInt8] {
        var output = header(capacity: 256)
        appendID(id, to: &output)
        output.append(contentsOf: #","result":"#.utf8)
        result.encode(into: &output)
        output.append(UInt8(ascii: "}"))
        return output
    }

    /// A request; `params` is left out when nil.
    public static func request(id: JSONValue, method: String, params: JSONValue?) -> [UInt8] {
        var output = header(capacity: 128)
        id.encode(into: &output)
        output.append(contentsOf: #","method":"#.utf8)
        JSONValue.encode(string: method, into: &output)
        appendParams(params, to: &output)
        return output
    }

    /// A request whose id is an already validated JSON-RPC id, written as its raw text.
    public static func request(id: JSONRPCID, method: String, params: JSONValue?) -> [UInt8] {
        var output = header(capacity: 128)
        appendID(id, to: &output)
        output.append(contentsOf: #","method":"#.utf8)
        JSONValue.encode(string: method, into: &output)
        appendParams(params, to: &output)
        return output
    }

    /// A notification; `params` is left out when nil.
    public static func notification(method: String, params: JSONValue?) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        output.append(contentsOf: #"{"jsonrpc":"2.0","method":"#.utf8)
        JSONValue.encode(string: method, into: &output)
        appendParams(params, to: &output)
        return output
    }

    private static func header(capacity: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(capacity)
        output.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
        return output
    }

    private static func appendID(_ id: JSONRPCID?, to output: inout [UInt8]) {
        if let id {
            output.append(contentsOf: id.raw.utf8)
        } else {
            output.append(contentsOf: "null".utf8)
        }
    }

    private static func appendParams(_ params: JSONValue?, to output: inout [UInt8]) {
        if let params {
            output.append(contentsOf: #","params":"#.utf8)
            params.encode(into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
