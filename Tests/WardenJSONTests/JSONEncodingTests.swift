import Testing
import WardenJSON

struct JSONEncodingTests {
    @Test("writes compact JSON with members in stored order and numbers by their literal")
    func writesCompactJSON() {
        let value: JSONValue = [
            "z": [1, 2.5, true, false, nil],
            "a": ["nested": [:], "list": []],
            "n": .number(JSONNumber(literal: "1.50e+3")),
        ]
        #expect(value.encodedString == #"{"z":[1,2.5,true,false,null],"a":{"nested":{},"list":[]},"n":1.50e+3}"#)
        #expect(value.encodedBytes == Array(value.encodedString.utf8))
    }

    @Test("escapes quotes, backslashes, control characters and line separators, and nothing else")
    func escapesMinimally() {
        let value = JSONValue.string("\"\\/\u{8}\u{C}\n\r\t\u{0}\u{1F}\u{7F} é😀\u{2028}")
        #expect(value.encodedString == #""\"\\/\b\f\n\r\t\u0000\u001f"# + "\u{7F} é😀" + #"\u2028""#)
    }

    @Test("writes escaped keys")
    func escapesKeys() {
        let value: JSONValue = ["a\"b\n": 1]
        #expect(value.encodedString == #"{"a\"b\n":1}"#)
    }

    @Test("writes a compact document back exactly as it was read")
    func compactDocumentsRoundTripByteForByte() throws {
        let text = #"{"jsonrpc":"2.0","id":"a-1","result":{"tools":[{"name":"x","n":1.50,"e":-2E+3,"s":"\"\\\u0001é"}],"z":null}}"#
        #expect(try JSONParser.parse(text).encodedString == text)
    }

    @Test("appends to existing bytes")
    func appends() {
        var output = Array("x=".utf8)
        JSONValue.array([1, "a"]).encode(into: &output)
        #expect(String(decoding: output, as: UTF8.self) == #"x=[1,"a"]"#)
    }
}

@Suite("Line separators in written JSON")
struct LineSeparatorEncodingTests {
    @Test("U+0085, U+2028 and U+2029 are written as escapes, so no reader sees a line break in what Warden writes")
    func lineSeparatorsAreEscaped() throws {
        let value: JSONValue = ["a\u{2028}b": "x\u{85}y\u{2029}z é\u{2028}"]
        let text = value.encodedString
        #expect(text == #"{"a\u2028b":"x\u0085y\u2029z é\u2028"}"#)
        #expect(try JSONParser.parse(text) == value)
    }
}
