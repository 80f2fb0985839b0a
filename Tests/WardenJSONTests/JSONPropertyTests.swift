import Testing
import WardenJSON

struct JSONPropertyTests {
    @Test("parse(encode(x)) == x for random documents", arguments: 0..<8)
    func encodeThenParseRoundTrips(seed: UInt64) throws {
        var generator = RandomJSON(seed: seed)
        for _ in 0..<300 {
            let value = generator.value(depth: 5)
            let encoded = value.encodedBytes
            let parsed = try JSONParser.parse(encoded)
            #expect(parsed == value, "\(String(decoding: encoded, as: UTF8.self))")
            #expect(parsed.encodedBytes == encoded)
        }
    }

    @Test("parses text with random whitespace and needless escapes to the value it was written from", arguments: 0..<8)
    func parsesFreelyWrittenText(seed: UInt64) throws {
        var generator = RandomJSON(seed: seed)
        for _ in 0..<300 {
            let value = generator.value(depth: 5)
            let text = generator.text(for: value)
            #expect(try JSONParser.parse(text) == value, "\(String(decoding: text, as: UTF8.self))")
            #expect(try JSONScanner.validate(text) == Self.kind(of: value))
        }
    }

    @Test("the scanner accepts and rejects exactly what the parser does, with the same error", arguments: 0..<8)
    func scannerAgreesWithParser(seed: UInt64) {
        var generator = RandomJSON(seed: 1000 + seed)
        var outcomes = (valid: 0, invalid: 0)
        for _ in 0..<1500 {
            var text = generator.text(for: generator.value(depth: 4))
            for _ in 0..<Int.random(in: 0...2, using: &generator.random) { text = generator.mutate(text) }
            let maxDepth = Int.random(in: 1...5, using: &generator.random)
            let parsed = Result { () throws(JSONParseError) in try JSONParser.parse(text, maxDepth: maxDepth) }
            let scanned = Result { () throws(JSONParseError) in try JSONScanner.validate(text, maxDepth: maxDepth) }
            let memberScan = text.withUnsafeBytes { bytes in
                Result { () throws(JSONParseError) in try JSONScanner.scan(bytes, maxDepth: maxDepth) { _ in } }
            }
            switch (parsed, scanned, memberScan) {
            case (.success(let value), .success(let kind), .success(let memberKind)):
                #expect(kind == Self.kind(of: value))
                #expect(memberKind == kind)
                outcomes.valid += 1
            case (.failure(let parseError), .failure(let scanError), .failure(let memberError)):
                #expect(parseError == scanError, "\(String(decoding: text, as: UTF8.self))")
                #expect(parseError == memberError, "\(String(decoding: text, as: UTF8.self))")
                outcomes.invalid += 1
            default:
                Issue.record("parser and scanner disagree on \(String(decoding: text, as: UTF8.self)): \(parsed) / \(scanned) / \(memberScan)")
            }
        }
        // Both sides of the comparison must be exercised for it to mean anything.
        #expect(outcomes.valid > 200 && outcomes.invalid > 200, "\(outcomes)")
    }

    @Test("the scanner's member ranges parse to the parser's member values", arguments: 0..<4)
    func memberRangesMatchParsedValues(seed: UInt64) throws {
        var generator = RandomJSON(seed: 2000 + seed)
        for _ in 0..<300 {
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...6, using: &generator.random) {
                object[generator.string()] = generator.value(depth: 3)
            }
            let text = generator.text(for: .object(object))
            let members = try text.withUnsafeBytes { bytes throws(JSONParseError) in
                try (JSONScanner.members(of: bytes) ?? []).map { member throws(JSONParseError) in
                    (member.key(in: bytes), try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[member.valueRange])))
                }
            }
            #expect(members.map(\.0) == object.keys)
            #expect(members.map(\.1) == object.members.map(\.value))
        }
    }

    static func kind(of value: JSONValue) -> JSONScanner.ValueKind {
        switch value {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }
}
