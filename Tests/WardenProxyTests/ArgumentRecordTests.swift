import Testing
import WardenJSON
import WardenPolicy
import WardenProxy

@Suite("Argument records and the secret scrubber")
struct ArgumentRecordTests {
    @Test("the digest does not depend on key order and changes with any value")
    func digestIsCanonical() {
        let a: JSONValue = ["b": 1, "a": ["y": true, "x": "s"]]
        let b: JSONValue = ["a": ["x": "s", "y": true], "b": 1]
        let c: JSONValue = ["a": ["x": "t", "y": true], "b": 1]
        #expect(ArgumentRecord.digest(a) == ArgumentRecord.digest(b))
        #expect(ArgumentRecord.digest(a) != ArgumentRecord.digest(c))
        #expect(ArgumentRecord.digest(a).count == 64)
        #expect(String(decoding: ArgumentRecord.canonicalJSON(a), as: UTF8.self) == #"{"a":{"x":"s","y":true},"b":1}"#)
    }

    @Test("hash mode keeps no text; full keeps all; redact replaces the listed paths and scrubs secrets")
    func renderModes() throws {
        let arguments: JSONValue = [
            "user": "ann", "password": "hunter2", "note": "key sk-abcdefghijklmnop1234 in here", "card": ["number": "4111111111111111"],
        ]
        #expect(ArgumentRecord.render(arguments, settings: AuditSettings()) == nil)
        #expect(ArgumentRecord.render(arguments, settings: AuditSettings(arguments: .full))?.contains("hunter2") == true)
        let redact = AuditSettings(arguments: .redact, redact: [try ValuePath(parsing: "args.password"), try ValuePath(parsing: "args.card.number")])
        let text = ArgumentRecord.render(arguments, settings: redact) ?? ""
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("4111111111111111"))
        #expect(!text.contains("sk-abcdefghijklmnop1234"))
        #expect(text.contains("ann"))
        #expect(text.contains("key [redacted] in here"))
    }

    @Test("the scrubber hides credentials and leaves ordinary text alone", arguments: [
        ("Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"),
        ("token=s3cr3tvalue&x=1", "token=[redacted]&x=1"),
        ("AKIAIOSFODNN7EXAMPLE is the key", "[redacted] is the key"),
        ("ghp_0123456789abcdefghijABCDEFGHIJ012345", "[redacted]"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig0sig0sig0", "[redacted]"),
        ("d41d8cd98f00b204e9800998ecf8427e", "[redacted]"),
        ("export the claims dataset to s3://approved/q3", "export the claims dataset to s3://approved/q3"),
        ("supercalifragilisticexpialidocious-and-more-words", "supercalifragilisticexpialidocious-and-more-words"),
    ])
    func scrubs(input: String, expected: String) {
        #expect(SecretScrubber.scrub(input) == expected)
    }
}
