import Testing
import WardenJSON

struct StrictParsingTests {
    @Test(
        "strict parsing refuses a duplicate key in any object, compared as scalars after unescaping",
        arguments: [
            (#"{"a":1,"a":2}"#, "\"a\"", 7),
            (#"{"a":1,"\u0061":2}"#, "\"a\"", 7),
            (#"{"x":[{"b":{},"c":0,"b":null}]}"#, "\"b\"", 20),
            (#"{"\u212Aey":1,"\u212Aey":2}"#, "\"\u{212A}ey\"", 14),
            (#"{"":1,"":2}"#, "\"\"", 6),
            (#"{"\n":1,"\u000a":2}"#, "\"\\n\"", 8),
        ]
    )
    func strictRefusesDuplicateKeys(text: String, quotedKey: String, offset: Int) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(text, strict: true) }
        #expect(error.code == .duplicateKey)
        #expect(error.offset == offset)
        #expect(error.message.contains(quotedKey), "\(error.message)")
        // Lenient parsing still keeps the last value, at the first key's place.
        #expect(throws: Never.self) { try JSONParser.parse(text) }
    }

    @Test("strict parsing finds a duplicate key in an object large enough to use the lookup table")
    func strictRefusesDuplicateInLargeObject() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" } + ["\"k\\u0031\":1"]
        #expect(throws: JSONParseError.self) { try JSONParser.parse("{\(members.joined(separator: ","))}", strict: true) }
    }

    @Test("strict parsing accepts keys that differ as scalars, even when canonically equivalent")
    func strictAcceptsDistinctKeys() throws {
        let value = try JSONParser.parse(#"{"Key":1,"\u212Aey":2,"caf\u00e9":3,"cafe\u0301":4,"a":{"a":{"a":1}}}"#, strict: true)
        #expect(value.objectValue?.count == 5)
    }

    @Test(
        "strict parsing refuses a \\u escape of a lone surrogate",
        arguments: [
            (#"["\uD800"]"#, 1), (#"["\uDC00"]"#, 1), (#"["ab\uDBFFx"]"#, 3), (#"["\uD800\u0041"]"#, 1),
            (#"["\uD800\uD800"]"#, 1), (#"["\uDC00\uD800"]"#, 1), (#"{"\uDFFF":1}"#, 1), (#"["\ud83d"]"#, 1),
            (#"["\uD83D\uDE00\uDE00"]"#, 13), (#"["\uD800\\"]"#, 1),
        ]
    )
    func strictRefusesLoneSurrogates(text: String, offset: Int) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(text, strict: true) }
        #expect(error.code == .loneSurrogate)
        #expect(error.offset == offset + 1)
        #expect(throws: Never.self) { try JSONParser.parse(text) }
    }

    @Test(
        "strict parsing decodes surrogate pairs and other escapes as lenient parsing does",
        arguments: [
            #"["\uD83D\uDE00"]"#, #"["\ud83d\ude00 and \uDBFF\uDFFF"]"#, #"["\u00e9\uFFFD\uE000\uD7FF"]"#, #"{"a":"\\uD800"}"#,
        ]
    )
    func strictAcceptsPairs(text: String) throws {
        #expect(try JSONParser.parse(text, strict: true) == JSONParser.parse(text))
    }

    @Test("lenient parsing still turns a lone surrogate into U+FFFD")
    func lenientReplacesLoneSurrogate() throws {
        #expect(try JSONParser.parse(#"["\uD800x"]"#) == ["\u{FFFD}x"])
    }

    @Test(
        "the key sieve proves usual messages free of duplicates without the slow check",
        arguments: [
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#,
            #"{"jsonrpc":"2.0","id":"a","result":{}}"#,
            #"{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"m"}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/progress","params":{},"_meta":{}}"#,
        ]
    )
    func sieveClearsUsualMessages(text: String) throws {
        var text = text
        let mayHaveDuplicate = try text.withUTF8 { utf8 in
            var sieve = JSONScanner.KeySieve()
            let bytes = UnsafeRawBufferPointer(utf8)
            try JSONScanner.scan(bytes) { sieve.add($0, in: bytes) }
            return sieve.mayHaveDuplicate
        }
        #expect(!mayHaveDuplicate)
    }

    @Test(
        "the scanner reports the first top-level key that repeats, and only top-level ones",
        arguments: [
            (#"{"a":1,"b":2,"a":3}"#, "a" as String?), (#"{"id":1,"\u0069d":2}"#, "id"), (#"{"a":{"b":1,"b":2}}"#, nil),
            (#"{"Key":1,"\u212Aey":2}"#, nil), (#"[1,1]"#, nil), (#"{"b":1,"a":2,"b":3,"a":4}"#, "b"),
        ]
    )
    func scannerFindsTopLevelDuplicates(text: String, expected: String?) throws {
        var text = text
        let found = try text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var sieve = JSONScanner.KeySieve()
            try JSONScanner.scan(bytes) { sieve.add($0, in: bytes) }
            if expected != nil { #expect(sieve.mayHaveDuplicate) }
            return try JSONScanner.firstDuplicateKey(in: bytes)
        }
        #expect(found == expected)
    }
}
