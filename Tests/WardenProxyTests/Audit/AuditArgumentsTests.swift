import Testing
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

@Suite("Audit arguments")
struct AuditArgumentsTests {
    @Test("the digest does not depend on key order, at any depth, and changes with any value")
    func digestIsCanonical() throws {
        let a: JSONValue = ["b": 1, "a": ["y": true, "x": "s", "z": [["q": nil, "p": 2.5]]]]
        let b: JSONValue = ["a": ["z": [["p": 2.5, "q": nil]], "x": "s", "y": true], "b": 1]
        let c: JSONValue = ["a": ["z": [["p": 2.5, "q": nil]], "x": "t", "y": true], "b": 1]
        #expect(AuditArguments.digest(a) == AuditArguments.digest(b))
        #expect(AuditArguments.digest(a) != AuditArguments.digest(c))
        #expect(String(decoding: AuditArguments.canonicalJSON(a), as: UTF8.self) == #"{"a":{"x":"s","y":true,"z":[{"p":2.5,"q":null}]},"b":1}"#)
        // Parsed from text with white space and another order: the same digest as built in code.
        let parsed = try JSONParser.parse(#" { "b" : 1 , "a" : { "z" : [ { "q" : null , "p" : 2.5 } ] , "y" : true , "x" : "s" } } "#)
        #expect(AuditArguments.digest(parsed) == AuditArguments.digest(a))
    }

    @Test("the digest is the SHA-256 of the canonical bytes, in lowercase hex")
    func digestIsSHA256() {
        // sha256("{}") and sha256("[]"), computed independently.
        #expect(AuditArguments.digest(.object([:])) == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
        #expect(AuditArguments.digest(.array([])) == "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945")
    }

    @Test("keys sort by their UTF-8 bytes, numbers keep their literal, strings are escaped once")
    func canonicalDetails() throws {
        let value = try JSONParser.parse(#"{"é":1,"z":2,"Z":3,"a":1.50,"n":"line\nbreak \"q\""}"#)
        #expect(String(decoding: AuditArguments.canonicalJSON(value), as: UTF8.self) == #"{"Z":3,"a":1.50,"n":"line\nbreak \"q\"","z":2,"é":1}"#)
    }

    @Test("hash mode keeps no text; full keeps everything; redact replaces the listed paths and scrubs secrets")
    func renderModes() throws {
        let arguments: JSONValue = [
            "user": "ann", "password": "hunter2", "note": "key sk-abcdefghijklmnop1234 in here",
            "card": ["number": "4111111111111111", "brand": "visa"], "items": [["sku": "a"], ["sku": "b"]],
        ]
        #expect(AuditArguments.render(arguments, settings: AuditSettings()) == nil)
        #expect(
            AuditArguments.render(arguments, settings: AuditSettings(arguments: .full))
                == String(decoding: AuditArguments.canonicalJSON(arguments), as: UTF8.self)
        )
        let paths = try ["args.password", "args.card.number", "args.items[1].sku", "args.missing.deep", "args.items[9]"].map {
            try AuditSettings.RedactPath(parsing: $0)
        }
        let text = try #require(AuditArguments.render(arguments, settings: AuditSettings(arguments: .redact, redact: paths)))
        let rendered = try JSONParser.parse(text)
        #expect(rendered["password"] == "[redacted]")
        #expect(rendered["card"]?["number"] == "[redacted]")
        #expect(rendered["card"]?["brand"] == "visa")
        #expect(rendered["items"] == [["sku": "a"], ["sku": "[redacted]"]])
        #expect(rendered["user"] == "ann")
        #expect(rendered["note"] == "key [redacted] in here")
        #expect(rendered["missing"] == nil, "a path that reaches nothing adds nothing")
        #expect(!text.contains("hunter2") && !text.contains("4111111111111111"))
    }

    static func redacted(_ arguments: JSONValue, paths: [String]) throws -> JSONValue {
        let settings = AuditSettings(arguments: .redact, redact: try paths.map { try AuditSettings.RedactPath(parsing: $0) })
        return try JSONParser.parse(try #require(AuditArguments.render(arguments, settings: settings)))
    }

    @Test("a redact path matches keys whatever their case: args.password hides Password and PASSWORD")
    func redactPathIgnoresCase() throws {
        let rendered = try Self.redacted(["Password": "Tr0ub4dor", "PASSWORD": "n3xt", "note": "x"], paths: ["args.password"])
        #expect(rendered["Password"] == "[redacted]")
        #expect(rendered["PASSWORD"] == "[redacted]")
        #expect(rendered["note"] == "x")
    }

    @Test("[*] in a redact path hides the member of every element: args.cards[*].number")
    func redactPathWildcard() throws {
        let arguments: JSONValue = ["cards": [["number": "4111111111111111", "brand": "visa"], ["number": "5500000000000004"]]]
        let rendered = try Self.redacted(arguments, paths: ["args.cards[*].number"])
        #expect(rendered["cards"] == [["number": "[redacted]", "brand": "visa"], ["number": "[redacted]"]])
        #expect(AuditSettings.RedactPath(try ValuePath(parsing: "args.cards[1].number")).description == "args.cards[1].number")
        #expect(try AuditSettings.RedactPath(parsing: "args.a[*][2].b").description == "args.a[*][2].b")
    }

    @Test("a redact path goes on inside a string that holds JSON, as a lenient server parses it")
    func redactPathIntoJSONString() throws {
        let rendered = try Self.redacted(["opts": #"{"ssn": "078-05-1120", "force": true}"#], paths: ["args.opts.ssn"])
        let opts = try JSONParser.parse(try #require(rendered["opts"]?.stringValue))
        #expect(opts == ["ssn": "[redacted]", "force": true])
    }

    @Test("redact mode hides secret-named keys and credentials in JSON strings and URLs the paths do not list")
    func redactScrubsBeyondPaths() throws {
        let arguments: JSONValue = [
            "API_KEY": "abc", "conn": "postgres://admin:pw@host/db", "body": #"{"password": "hunter2"}"#,
            "q": "api key = zzz-123",
        ]
        let settings = AuditSettings(arguments: .redact, redact: [])
        let text = try #require(AuditArguments.render(arguments, settings: settings))
        for secret in ["abc", ":pw@", "hunter2", "zzz-123"] { #expect(!text.contains(secret), "\(secret) in \(text)") }
    }

    @Test("approvers are shown the arguments with redact paths and secrets hidden, even when the audit keeps only a digest")
    func approverText() throws {
        let arguments: JSONValue = ["id": "legal-7", "token": "t0k", "card": ["number": "4111"]]
        let settings = AuditSettings(arguments: .hash, redact: [try AuditSettings.RedactPath(parsing: "args.card.number")])
        #expect(AuditArguments.render(arguments, settings: settings) == nil)
        let text = AuditArguments.scrubbedText(arguments, settings: settings)
        #expect(try JSONParser.parse(text) == ["id": "legal-7", "token": "[redacted]", "card": ["number": "[redacted]"]])
    }

    @Test("redact mode with no paths still scrubs credential-like strings, inside arrays too")
    func redactWithoutPaths() throws {
        let arguments: JSONValue = ["headers": ["Authorization: Bearer abcdefgh12345678", "Accept: text/plain"]]
        let text = AuditArguments.render(arguments, settings: AuditSettings(arguments: .redact))
        #expect(text == #"{"headers":["Authorization: Bearer [redacted]","Accept: text/plain"]}"#)
    }

    @Test("every decision the interceptor reports has the same name in the audit trail")
    func decisionNamesAgree() {
        let outcomes: [DecisionRecord.Outcome] = [
            .allowed, .denied, .hidden, .rateLimited, .budgetExceeded, .invalid, .approvalPending, .approvalApproved, .approvalDenied,
            .approvalExpired,
        ]
        for outcome in outcomes {
            #expect(AuditDecision(name: outcome.description) != nil, "\(outcome)")
            #expect(outcome.auditDecision.description == outcome.description)
        }
    }
}
