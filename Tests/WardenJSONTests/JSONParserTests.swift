import Testing
import WardenJSON

struct JSONParserTests {
    @Test("parses every kind of value, keeping member order and number literals")
    func parsesEveryKind() throws {
        let value = try JSONParser.parse(#" {"b": [1, -2.50, 3e2, true, false, null], "a": {"x": "y"}, "": ""} "#)
        guard case .object(let object) = value else {
            Issue.record("expected an object, got \(value)")
            return
        }
        #expect(object.keys == ["b", "a", ""])
        #expect(value["b"] == [1, -2.5, 300, true, false, nil])
        #expect(value["b"]?.arrayValue?.map { if case .number(let n) = $0 { n.literal } else { "" } } == ["1", "-2.50", "3e2", "", "", ""])
        #expect(value["a"]?["x"] == "y")
    }

    @Test(
        "accepts a scalar as the whole document, with surrounding whitespace",
        arguments: [
            (" 1 ", JSONValue(1)), ("\t\"x\"\r\n", JSONValue("x")), ("null", JSONValue.null), ("true", true), ("false", false), ("-0", 0),
        ]
    )
    func acceptsScalarDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test("parses the same document from a String, an array and a raw buffer")
    func parsesAllInputForms() throws {
        let text = #"{"k":[1,"é"]}"#
        let bytes = Array(text.utf8)
        let fromBuffer = try bytes.withUnsafeBytes { buffer throws(JSONParseError) in try JSONParser.parse(buffer) }
        #expect(try JSONParser.parse(text) == fromBuffer)
        #expect(try JSONParser.parse(bytes) == fromBuffer)
        #expect(fromBuffer == ["k": [1, "é"]])
    }

    @Test("decodes every escape, including surrogate pairs, and turns lone surrogates into U+FFFD")
    func decodesEscapes() throws {
        #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try JSONParser.parse(#""\u0041\u00e9\u20AC\ud83d\uDE00""#) == .string("Aé€😀"))
        #expect(try JSONParser.parse(#""a\ud800b""#) == .string("a\u{FFFD}b"))
        #expect(try JSONParser.parse(#""\udc00\ud800""#) == .string("\u{FFFD}\u{FFFD}"))
        #expect(try JSONParser.parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSONParser.parse(#""\ud800""#) == .string("\u{FFFD}"))
    }

    @Test("keeps raw multi-byte UTF-8 in strings and keys")
    func keepsUTF8() throws {
        let value = try JSONParser.parse(#"{"ключ":"значение 😀 €"}"#)
        #expect(value["ключ"] == "значение 😀 €")
    }

    @Test("keeps the last value of a duplicated key at the key's first position")
    func duplicateKeysKeepLastValue() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    @Test("keeps the last value of a duplicated key in a large object")
    func duplicateKeysInLargeObject() throws {
        let members = (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let value = try JSONParser.parse("{\(members),\"k3\":\"last\",\"k39\":true,\"new\":1}")
        #expect(value.objectValue?.count == 41)
        #expect(value["k3"] == "last")
        #expect(value["k39"] == true)
        #expect(value.objectValue?.keys.last == "new")
    }

    @Test(
        "keeps number literals and computes their values",
        arguments: [
            ("0", 0.0), ("-0", 0.0), ("12", 12.0), ("-1.5", -1.5), ("1e3", 1000.0), ("2E-2", 0.02), ("1.0e+2", 100.0),
            ("123456789012345678901234567890", 1.2345678901234568e29), ("999999999999999", 999_999_999_999_999.0),
        ]
    )
    func keepsNumberLiterals(literal: String, value: Double) throws {
        guard case .number(let number) = try JSONParser.parse(literal) else {
            Issue.record("not a number")
            return
        }
        #expect(number.literal == literal)
        #expect(number.value == value)
    }

    @Test("reads a number too large for a Double as infinity, keeping its literal")
    func hugeNumbers() throws {
        guard case .number(let number) = try JSONParser.parse("1e999") else {
            Issue.record("not a number")
            return
        }
        #expect(number.literal == "1e999")
        #expect(number.value == .infinity)
    }

    @Test("accepts nesting up to maxDepth and refuses one level more")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
        let tooDeep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(tooDeep) }
        #expect(error?.code == .tooDeep)
        #expect(error?.offset == 128)
        let objects = String(repeating: #"{"a":"#, count: 4) + "1" + String(repeating: "}", count: 4)
        #expect(throws: Never.self) { try JSONParser.parse(objects, maxDepth: 4) }
        #expect((#expect(throws: JSONParseError.self) { try JSONParser.parse(objects, maxDepth: 3) })?.code == .tooDeep)
        #expect((#expect(throws: JSONParseError.self) { try JSONParser.parse("[]", maxDepth: 0) })?.code == .tooDeep)
        #expect(try JSONParser.parse("1", maxDepth: 0) == 1)
    }

    @Test("refuses a million open brackets with an error, not a crash")
    func hostileNesting() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect((#expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) })?.code == .tooDeep)
    }

    @Test(
        "reports each kind of error with its code and the offset where reading stopped",
        arguments: [
            ("", JSONParseError.Code.unexpectedEnd, 0),
            ("   ", .unexpectedEnd, 3),
            ("[1,", .unexpectedEnd, 3),
            (#"{"a""#, .unexpectedEnd, 4),
            (#""abc"#, .unexpectedEnd, 4),
            (#""\"#, .unexpectedEnd, 2),
            ("[1 2]", .unexpectedCharacter, 3),
            ("[1,]", .unexpectedCharacter, 3),
            (#"{"a":1,}"#, .unexpectedCharacter, 7),
            ("{1:2}", .unexpectedCharacter, 1),
            (#"{"a" 1}"#, .unexpectedCharacter, 5),
            (#"{"a":1]"#, .unexpectedCharacter, 6),
            ("[1}", .unexpectedCharacter, 2),
            ("'a'", .unexpectedCharacter, 0),
            ("/* c */ 1", .unexpectedCharacter, 0),
            ("+1", .unexpectedCharacter, 0),
            (".5", .unexpectedCharacter, 0),
            ("NaN", .invalidLiteral, 0),
            ("Infinity", .invalidLiteral, 0),
            ("tru", .invalidLiteral, 0),
            ("nul", .invalidLiteral, 0),
            ("True", .invalidLiteral, 0),
            ("-", .invalidNumber, 0),
            ("-a", .invalidNumber, 0),
            ("01", .invalidNumber, 0),
            ("-01", .invalidNumber, 0),
            ("1.", .invalidNumber, 0),
            ("1.e5", .invalidNumber, 0),
            ("1e", .invalidNumber, 0),
            ("1e+", .invalidNumber, 0),
            (#""\x""#, .invalidEscape, 1),
            (#""\u12G4""#, .invalidEscape, 1),
            (#""\u12""#, .invalidEscape, 1),
            ("\"a\nb\"", .controlCharacter, 2),
            ("\"\t\"", .controlCharacter, 1),
            ("1 2", .trailingData, 2),
            ("{} x", .trailingData, 3),
            ("[]]", .trailingData, 2),
        ]
    )
    func reportsErrors(text: String, code: JSONParseError.Code, offset: Int) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error?.code == code)
        #expect(error?.offset == offset)
        #expect(error?.description.hasPrefix("byte \(offset): ") == true)
    }

    @Test(
        "refuses malformed UTF-8 inside strings",
        arguments: [
            [0x80], [0xC0, 0xAF], [0xC1, 0xBF], [0xC3], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE2, 0x28, 0xA1],
        ] as [[UInt8]]
    )
    func refusesInvalidUTF8(sequence: [UInt8]) {
        let bytes = Array("\"ab".utf8) + sequence + Array("\"".utf8)
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(error?.code == .invalidUTF8)
        #expect(error?.offset == 3)
    }

    @Test(
        "accepts the edges of well-formed UTF-8",
        arguments: [
            [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xF0, 0x90, 0x80, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF], [0x7F],
        ] as [[UInt8]]
    )
    func acceptsValidUTF8(sequence: [UInt8]) throws {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        #expect(try JSONParser.parse(bytes) == .string(String(decoding: sequence, as: UTF8.self)))
    }
}
