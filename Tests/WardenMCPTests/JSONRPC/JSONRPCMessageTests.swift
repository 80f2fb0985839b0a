import NIOCore
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
        #expect(Self.text(JSONRPCMessage.request(id: 1, method: "tools/list", params: [:])) == #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#)
        #expect(Self.text(JSONRPCMessage.request(id: "r", method: "ping", params: nil)) == #"{"jsonrpc":"2.0","id":"r","method":"ping"}"#)
        #expect(Self.text(JSONRPCMessage.notification(method: "notifications/initialized", params: nil)) == #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        #expect(Self.text(JSONRPCMessage.notification(method: "n", params: [1])) == #"{"jsonrpc":"2.0","method":"n","params":[1]}"#)
    }

    @Test("uses JSON-RPC 2.0's reserved error codes")
    func errorCodes() {
        #expect(
            [JSONRPCErrorCode.parseError, JSONRPCErrorCode.invalidRequest, JSONRPCErrorCode.methodNotFound, JSONRPCErrorCode.invalidParams,
             JSONRPCErrorCode.internalError] == [-32700, -32600, -32601, -32602, -32603]
        )
    }
}

struct JSONRPCIDTests {
    @Test("accepts strings and integral numbers only")
    func allowedValues() {
        #expect(JSONRPCID("a")?.raw == #""a""#)
        #expect(JSONRPCID(12)?.raw == "12")
        #expect(JSONRPCID(1.5) == nil)
        #expect(JSONRPCID(nil) == nil)
        #expect(JSONRPCID(true) == nil)
        #expect(JSONRPCID([1]) == nil)
        #expect(JSONRPCID(raw: "{}") == nil)
        #expect(JSONRPCID(raw: "1 2") == nil)
        #expect(JSONRPCID(raw: " 42 ")?.value == 42)
    }

    @Test("ids with the same value are equal however they are spelled")
    func equalityByValue() throws {
        let plain = try #require(JSONRPCID(raw: #""ab""#))
        let escaped = try #require(JSONRPCID(raw: #""\u0061b""#))
        #expect(plain == escaped)
        #expect(Set([plain, escaped]).count == 1)
        #expect(JSONRPCID(raw: "100") == JSONRPCID(raw: "1e2"))
        #expect(JSONRPCID(raw: "1") != JSONRPCID(raw: #""1""#))
        #expect(escaped.description == #""\u0061b""#)
    }
}

struct MessageSpliceTests {
    @Test("replaces one value and keeps every other byte as sent")
    func keepsOtherBytes() throws {
        let text = #"{ "jsonrpc" : "2.0","id":9 ,"result":{"tools":[{"name":"a"},{"name":"b"}],"x":1.50},"z" : [ ] }"#
        let buffer = ByteBuffer(string: text)
        let envelope = try MessageInspector.inspect(buffer).get()
        let range = try #require(envelope.result)
        let spliced = MessageSplice.replacing(range, in: buffer, with: ["tools": [["name": "a"]], "x": .number(JSONNumber(literal: "1.50"))])
        #expect(String(decoding: spliced, as: UTF8.self) == #"{ "jsonrpc" : "2.0","id":9 ,"result":{"tools":[{"name":"a"}],"x":1.50},"z" : [ ] }"#)
        let again = try spliced.withUnsafeBytes { MessageInspector.inspect($0) }.get()
        #expect(again.kind == .response && again.id?.raw == "9")
    }

    @Test("splices at the very start and end of the input")
    func edges() {
        let bytes = Array("[1]".utf8)
        let whole = bytes.withUnsafeBytes { MessageSplice.replacing(0..<3, in: $0, with: ["a": nil]) }
        #expect(String(decoding: whole, as: UTF8.self) == #"{"a":null}"#)
        let inner = bytes.withUnsafeBytes { MessageSplice.replacing(1..<2, in: $0, with: "x") }
        #expect(String(decoding: inner, as: UTF8.self) == #"["x"]"#)
    }
}
