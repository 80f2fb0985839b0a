import Foundation
import Testing
import WardenJSON
import WardenProxy

/// The fingerprint must ignore how a server writes its JSON and notice anything the model or a call depends on.
struct ToolFingerprintTests {
    static let tool = """
        {"name":"transfer","description":"Move money between accounts.","inputSchema":{"type":"object",
        "properties":{"amount":{"type":"number","maximum":1000},"to":{"type":"string"}},"required":["amount","to"]},
        "annotations":{"destructiveHint":true}}
        """

    static func fingerprint(_ text: String) throws -> String {
        ToolFingerprint.of(try JSONParser.parse(text)).fingerprint
    }

    @Test("the fingerprint is lowercase hex SHA-256 of sorted, compact canonical JSON of the pinned members only")
    func canonicalText() throws {
        let (fingerprint, canonical) = ToolFingerprint.of(
            try JSONParser.parse(#"{"_meta":{"x":1},"inputSchema":{"type":"object"},"name":"t","description":"d\u00e9 \"q\"","extra":true}"#)
        )
        #expect(canonical == #"{"description":"dé \"q\"","inputSchema":{"type":"object"},"name":"t"}"#)
        #expect(fingerprint.count == 64 && fingerprint.allSatisfy { "0123456789abcdef".contains($0) })
        // sha256sum of the bytes {"name":"t"}
        #expect(
            ToolFingerprint.of(try JSONParser.parse(#"{ "name" : "t" }"#)).fingerprint
                == "3647a67649228b62fe3d139c47f7a3c673c31ce57da824082b6654fc0b15751f"
        )
    }

    @Test("key order and whitespace do not change the fingerprint")
    func keyOrderAndSpacing() throws {
        let reordered = """
            { "annotations" : { "destructiveHint" : true },
              "inputSchema" : { "required" : [ "amount", "to" ], "properties" : { "to" : { "type" : "string" },
                "amount" : { "maximum" : 1000, "type" : "number" } }, "type" : "object" },
              "description" : "Move money between accounts.", "name" : "transfer" }
            """
        #expect(try Self.fingerprint(reordered) == Self.fingerprint(Self.tool))
    }

    @Test("numbers are compared by value: 1000, 1000.0, 1e3 and 10.00e2 pin alike")
    func numbersByValue() throws {
        for spelling in ["1000.0", "1e3", "10.00e2", "1000.000", "1E+3"] {
            #expect(try Self.fingerprint(Self.tool.replacingOccurrences(of: "1000", with: spelling)) == Self.fingerprint(Self.tool))
        }
        #expect(try Self.fingerprint(Self.tool.replacingOccurrences(of: "1000", with: "1000.5")) != Self.fingerprint(Self.tool))
    }

    @Test("canonical numbers have one spelling per value")
    func canonicalNumbers() {
        let cases = [
            ("1", "1"), ("1.0", "1"), ("10e-1", "1"), ("0.1e1", "1"), ("-0", "0"), ("0.0", "0"), ("1.50", "1.5"), ("0.05", "0.05"),
            ("-12.5e1", "-125"), ("1e20", "100000000000000000000"), ("1e21", "1e21"), ("1e-30", "1e-30"), ("123.456", "123.456"),
        ]
        for (literal, expected) in cases {
            let tool = JSONValue.object(["inputSchema": .array([.number(JSONNumber(literal: literal))])])
            #expect(ToolFingerprint.of(tool).canonical == #"{"inputSchema":["# + expected + "]}", "\(literal)")
        }
    }

    @Test("one character of the description, one schema keyword or one annotation changes the fingerprint")
    func sensitivity() throws {
        let original = try Self.fingerprint(Self.tool)
        let changes = [
            ("accounts.", "accounts!"),
            ("\"maximum\"", "\"minimum\""),
            ("\"required\":[\"amount\",\"to\"]", "\"required\":[\"amount\"]"),
            ("\"destructiveHint\":true", "\"destructiveHint\":false"),
            ("\"name\":\"transfer\"", "\"name\":\"transfer\",\"title\":\"Transfer\""),
            ("\"annotations\"", "\"outputSchema\":{\"type\":\"object\"},\"annotations\""),
        ]
        for (from, to) in changes {
            let changed = Self.tool.replacingOccurrences(of: from, with: to)
            #expect(changed != Self.tool, "\(from) is in the tool")
            #expect(try Self.fingerprint(changed) != original, "\(from) → \(to)")
        }
    }

    @Test("members outside the pinned ones may change freely")
    func unpinnedMembers() throws {
        let withMeta = Self.tool.replacingOccurrences(of: "\"name\"", with: "\"_meta\":{\"build\":42},\"icons\":[],\"name\"")
        #expect(try Self.fingerprint(withMeta) == Self.fingerprint(Self.tool))
    }
}
