import Testing
import WardenJSON

struct JSONScannerTests {
    @Test("reports each top-level member's key and value range, in order")
    func reportsMembers() throws {
        let text = Array(#" { "id" : 7 , "method":"tools/call", "p\u0061rams": {"a":[1,{"b":2}]} ,"x":null} "#.utf8)
        let members = try text.withUnsafeBytes { bytes throws(JSONParseError) in
            let members = try JSONScanner.members(of: bytes) ?? []
            return members.map { ($0.key(in: bytes), String(decoding: bytes[$0.valueRange], as: UTF8.self), $0.valueKind) }
        }
        #expect(members.map(\.0) == ["id", "method", "params", "x"])
        #expect(members.map(\.1) == ["7", #""tools/call""#, #"{"a":[1,{"b":2}]}"#, "null"])
        #expect(members.map(\.2) == [.number, .string, .object, .null])
    }

    @Test("compares keys with and without escapes")
    func comparesKeys() throws {
        let text = Array(#"{"id":1,"\u0069d":2,"i":3}"#.utf8)
        let matches = try text.withUnsafeBytes { bytes throws(JSONParseError) in
            try (JSONScanner.members(of: bytes) ?? []).map { $0.hasKey("id", in: bytes) }
        }
        #expect(matches == [true, true, false])
    }

    @Test(
        "says what kind of value a document holds, and lists no members for non-objects",
        arguments: [
            ("[1]", JSONScanner.ValueKind.array), ("1", .number), ("\"s\"", .string), ("true", .bool), ("null", .null), ("{}", .object),
        ]
    )
    func reportsKinds(text: String, kind: JSONScanner.ValueKind) throws {
        let bytes = Array(text.utf8)
        #expect(try JSONScanner.validate(bytes) == kind)
        let members = try bytes.withUnsafeBytes { buffer throws(JSONParseError) in try JSONScanner.members(of: buffer) }
        #expect((members == nil) == (kind != .object))
    }

    @Test("validates the whole document even after the members it reported")
    func validatesEverything() {
        let bytes = Array(#"{"id":1,"x":[1,2}"#.utf8)
        var seen: [Int] = []
        let error = #expect(throws: JSONParseError.self) {
            try bytes.withUnsafeBytes { buffer throws(JSONParseError) in
                try JSONScanner.scan(buffer) { seen.append($0.valueRange.lowerBound) }
            }
        }
        #expect(error?.code == .unexpectedCharacter)
        #expect(error?.offset == 16)
        #expect(seen == [6])
    }

    @Test("measures one value inside a larger text")
    func skipsValues() throws {
        let bytes = Array(#"xx  {"a":[1,"]"]} trailing"#.utf8)
        let range = try bytes.withUnsafeBytes { buffer throws(JSONParseError) in try JSONScanner.skipValue(in: buffer, at: 2) }
        #expect(range == 4..<17)
    }

    @Test("decodes a string value from its range")
    func decodesStrings() throws {
        let bytes = Array(#"{"m":"a\nb\u00e9"}"#.utf8)
        let text = try bytes.withUnsafeBytes { buffer throws(JSONParseError) in
            let member = try JSONScanner.members(of: buffer)?.first
            return member.map { JSONScanner.decodeString(buffer, valueRange: $0.valueRange) }
        }
        #expect(text == "a\nbé")
    }

    @Test("holds nesting deeper than 64 levels, where its bit stack spills, and matches every bracket", arguments: [63, 64, 65, 127, 128, 129, 300])
    func deepNesting(depth: Int) {
        var text = ""
        for level in 0..<depth { text += level % 3 == 0 ? #"{"k":"# : "[" }
        text += "1"
        for level in (0..<depth).reversed() { text += level % 3 == 0 ? "}" : "]" }
        let bytes = Array(text.utf8)
        let parsed = Result { () throws(JSONParseError) in try JSONParser.parse(bytes, maxDepth: 200) }
        let scanned = Result { () throws(JSONParseError) in try JSONScanner.validate(bytes, maxDepth: 200) }
        #expect((try? parsed.get()) != nil ? depth <= 200 : depth > 200)
        #expect(parsed.map { _ in 0 }.mapError { $0 } == scanned.map { _ in 0 })
        // A wrong bracket at the innermost level is caught at every depth.
        var swapped = bytes
        let firstClose = swapped.firstIndex { $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: "}") }!
        swapped[firstClose] = swapped[firstClose] == UInt8(ascii: "]") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        #expect(throws: JSONParseError.self) { try JSONScanner.validate(swapped, maxDepth: 1000) }
    }
}
