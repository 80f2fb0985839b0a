import Testing
import WardenJSON
import WardenMCP

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
