import NIOCore
import Testing
import WardenJSON
import WardenMCP

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
