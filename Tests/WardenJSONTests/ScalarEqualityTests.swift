import Testing
import WardenJSON

/// Swift's `String ==` uses canonical equivalence; JSON readers compare code points, and so must Warden.
struct ScalarEqualityTests {
    static let kelvinKey = "\u{212A}ey"  // KELVIN SIGN, canonically equivalent to "Key"
    static let precomposed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"

    @Test("strings that are canonically equivalent but hold different scalars are different JSON strings")
    func equivalentStringsDiffer() {
        #expect(JSONValue.string(Self.kelvinKey) != JSONValue.string("Key"))
        #expect(JSONValue.string(Self.precomposed) != JSONValue.string(Self.decomposed))
        #expect(Set<JSONValue>([.string(Self.kelvinKey), .string("Key"), .string(Self.precomposed), .string(Self.decomposed)]).count == 4)
        #expect(JSONValue.string(Self.precomposed) == JSONValue.string("caf\u{E9}"))
    }

    @Test("object lookups, equality and hashing match keys by scalars")
    func objectKeysMatchByScalars() {
        var object: JSONObject = ["Key": "a"]
        #expect(object[Self.kelvinKey] == nil)
        object[Self.kelvinKey] = "b"
        #expect(object.count == 2)
        #expect(object["Key"] == "a")
        #expect(object[Self.kelvinKey] == "b")
        let plain: JSONObject = ["Key": 1]
        let kelvin: JSONObject = [Self.kelvinKey: 1]
        #expect(plain != kelvin)
        #expect(Set([JSONValue.object(plain), .object(kelvin)]).count == 2)
        let decomposed: JSONObject = [Self.decomposed: true]
        #expect(decomposed[Self.precomposed] == nil)
    }

    @Test(
        "the parser keeps canonically equivalent keys apart",
        arguments: [
            #"{"Key":"a","\u212Aey":"b"}"#,
            "{\"Key\":\"a\",\"\u{212A}ey\":\"b\"}",
        ]
    )
    func parserKeepsEquivalentKeysApart(text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(value["Key"] == "a")
        #expect(value[Self.kelvinKey] == "b")
        #expect(value.objectValue?.count == 2)
    }

    @Test("the parser's lookup table for large objects keeps canonically equivalent keys apart")
    func largeObjectKeepsEquivalentKeysApart() throws {
        let filler = (0..<20).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let text = "{\(filler),\"Key\":\"a\",\"\\u212Aey\":\"b\",\"caf\u{E9}\":1,\"cafe\u{301}\":2,\"Key\":\"c\"}"
        let object = try #require(try JSONParser.parse(text).objectValue)
        #expect(object.count == 24)
        #expect(object["Key"] == "c")
        #expect(object[Self.kelvinKey] == "b")
        #expect(object[Self.precomposed] == 1)
        #expect(object[Self.decomposed] == 2)
    }

    @Test(
        "the scanner's key comparison distinguishes canonically equivalent keys, escaped or raw",
        arguments: [
            #"{"\u212Aey":1}"#,
            "{\"\u{212A}ey\":1}",
        ]
    )
    func scannerKeysMatchByScalars(text: String) throws {
        var text = text
        let matches = try text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            let members = try #require(try JSONScanner.members(of: bytes))
            return (members[0].hasKey("Key", in: bytes), members[0].hasKey(Self.kelvinKey, in: bytes))
        }
        #expect(matches == (false, true))
    }
}
