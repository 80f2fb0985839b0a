import Testing
import WardenJSON
import WardenMCP

struct JSONRPCMessageTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("writes an error answer that echoes the id's exact text")
    func errorEchoesID() throws {
        let id = try #require(JSONRPCID(raw: #""a\u002d1""#))
        let bytes = JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.invalidParams, message: "Unknown tool: \"x\"")
        #expect(Self.text(bytes) == #"{"jsonrpc":"2.0","id":"a\u002d1","error":{"code":-32602,"message":"Unknown tool: \"x\""}}"#)
        let envelope = try bytes.withUnsafeBytes { MessageInspector.inspect($0) }.get()
        #expect(envelope.kind == .errorResponse && envelope.id == id)
    }

    @Test("writes a null id when the request's id is unknown, and includes data when given")
    func errorWithoutID() {
        let bytes = JSONRPCMessage.error(id: nil, code: JSONRPCErrorCode.parseError, message: "Parse error", data: ["offset": 3])
        #expect(Self.text(bytes) == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error","data":{"offset":3}}}"#)
    }

    @Test("writes results, requests and notifications without a trailing newline")
    func otherMessages() throws {
        let id = try #require(JSONRPCID(7))
        #expect(Self.text(JSONRPCMessage.result(id: id, result: ["ok": true])) == #"{"jsonrpc":"2.0","id":7,"result":{"ok":true}}"#)
        #expect(
            Self.text(JSONRPCMessage.request(id: 1, method: "tools/list", params: [:]))
                == #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#
        )
        #expect(Self.text(JSONRPCMessage.request(id: "r", method: "ping", params: nil)) == #"{"jsonrpc":"2.0","id":"r","method":"ping"}"#)
        #expect(
            Self.text(JSONRPCMessage.notification(method: "notifications/initialized", params: nil))
                == #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
        )
        #expect(Self.text(JSONRPCMessage.notification(method: "n", params: [1])) == #"{"jsonrpc":"2.0","method":"n","params":[1]}"#)
    }

    @Test("uses JSON-RPC 2.0's reserved error codes")
    func errorCodes() {
        let codes = [
            JSONRPCErrorCode.parseError, JSONRPCErrorCode.invalidRequest, JSONRPCErrorCode.methodNotFound, JSONRPCErrorCode.invalidParams,
            JSONRPCErrorCode.internalError,
        ]
        #expect(codes == [-32700, -32600, -32601, -32602, -32603])
    }
}
