import Testing
import WardenJSON
import WardenPolicy

/// The agent picks how a value is encoded, so conditions judge values the way a lenient server reads them.
struct LenientReadingTests {
    /// A policy that denies `pay` when `args.amount` is over 500, and `wipe` when `args.opts.force` is true.
    let policy = compile(
        """
        version: 1
        default: allow
        rules:
          - name: large payments
            tool: pay
            when: {args.amount: {gt: 500}}
            action: deny
          - name: forced wipes
            tool: wipe
            when: {args.opts.force: {eq: true}}
            action: deny
          - name: forced deletes
            tool: delete
            when: {args.force: true}
            action: deny
        """
    )

    @Test("a number sent as a string is compared as the number the server reads")
    func numericString() {
        #expect(policy.decide(call("pay", ["amount": "1200"])).action == .deny)
        #expect(policy.decide(call("pay", ["amount": " +1.2e3 "])).action == .deny)
        #expect(policy.decide(call("pay", ["amount": "1_200"])).action == .deny)
        #expect(policy.decide(call("pay", ["amount": "5."])).action == .allow)
        #expect(policy.decide(call("pay", ["amount": ".5"])).action == .allow)
        #expect(policy.decide(call("pay", ["amount": "12 00"])).action == .allow)
    }

    @Test("Unicode decimal digits in a string count as the number Python's float() reads")
    func unicodeDigits() {
        #expect(policy.decide(call("pay", ["amount": "１２００"])).action == .deny)
        #expect(policy.decide(call("pay", ["amount": "١٢٠٠"])).action == .deny)
    }

    @Test("a path that runs through a string holding JSON reads the parsed JSON")
    func jsonInString() {
        #expect(policy.decide(call("wipe", ["opts": "{\"force\": true}"])).action == .deny)
        #expect(policy.decide(call("wipe", ["opts": " {\"force\": \"yes\"} "])).action == .deny)
        #expect(policy.decide(call("wipe", ["opts": "{\"force\": false}"])).action == .allow)
        #expect(policy.decide(call("wipe", ["opts": "plain text"])).action == .allow)
    }

    @Test("a boolean test accepts the spellings a lenient server reads as that boolean")
    func booleanSpellings() {
        for spelling: JSONValue in ["yes", "TRUE", " on ", "1", "t", "Y", 1, 1.0] {
            #expect(policy.decide(call("delete", ["force": spelling])).action == .deny, "\(spelling.displayText)")
        }
        for spelling: JSONValue in ["no", "false", "off", "0", "f", "n", 0, 2, "maybe"] {
            #expect(policy.decide(call("delete", ["force": spelling])).action == .allow, "\(spelling.displayText)")
        }
    }

    @Test("a number operand equals a string holding that number, and `ne` is its exact negation")
    func numericEquality() throws {
        #expect(try ConditionTest(.eq, 5).holds(for: "5.0"))
        #expect(try !ConditionTest(.ne, 5).holds(for: " 5 "))
        #expect(try ConditionTest(.in, [1, 2]).holds(for: "2"))
        #expect(try !ConditionTest(.notIn, [1, 2]).holds(for: "2"))
        #expect(try ConditionTest(.contains, 3).holds(for: [1, "3"]))
        #expect(try !ConditionTest(.eq, "5").holds(for: 5))
    }

    @Test("infinity in a string is a number above every bound, and NaN compares false both ways")
    func infinityAndNaN() throws {
        #expect(policy.decide(call("pay", ["amount": "inf"])).action == .deny)
        #expect(policy.decide(call("pay", ["amount": "+Infinity"])).action == .deny)
        #expect(try ConditionTest(.lt, 0).holds(for: "-inf"))
        #expect(try !ConditionTest(.gt, 500).holds(for: "nan"))
        #expect(try !ConditionTest(.lte, 500).holds(for: "NaN"))
        #expect(try !ConditionTest(.eq, 5).holds(for: "nan"))
        #expect(try ConditionTest(.ne, 5).holds(for: "nan"))
    }

    @Test("string tests compare Unicode scalars: the Kelvin sign is not K")
    func kelvinValues() throws {
        let kelvin: JSONValue = "\u{212A}ey"
        #expect(try !ConditionTest(.eq, "Key").holds(for: kelvin))
        #expect(try ConditionTest(.ne, "Key").holds(for: kelvin))
        #expect(try !ConditionTest(.in, ["Key"]).holds(for: kelvin))
        #expect(try !ConditionTest(.contains, "K").holds(for: kelvin))
        #expect(try !ConditionTest(.contains, "Key").holds(for: [kelvin]))
        #expect(try ConditionTest(.lt, "é").holds(for: "e\u{301}"))
        #expect(try !ConditionTest(.eq, "é").holds(for: "e\u{301}"))
    }

    @Test("path keys match by Unicode scalars: a Kelvin-sign key is not the key a rule names")
    func kelvinKeys() {
        let policy = compile(
            """
            version: 1
            rules:
              - name: secrets stay put
                tool: copy
                when: {args.Key: {starts_with: "secret/"}}
                action: deny
            """
        )
        let arguments = JSONValue.object(JSONObject([(key: "\u{212A}ey", value: "public/x"), (key: "Key", value: "secret/x")]))
        #expect(policy.decide(call("copy", arguments)).action == .deny)
    }

    @Test("max_length counts Unicode scalars, as Python's len does, not grapheme clusters")
    func decomposedLength() throws {
        let long = "a" + String(repeating: "\u{301}", count: 5000)
        #expect(try !ConditionTest(.maxLength, 20).holds(for: .string(long)))
        #expect(try ConditionTest(.maxLength, 2).holds(for: "e\u{301}"))
        #expect(try !ConditionTest(.maxLength, 1).holds(for: "e\u{301}"))
    }

    @Test("integers compare exactly at any size, also in strings")
    func bigIntegers() throws {
        let big = JSONValue.number(JSONNumber(literal: "1234567890123456889"))
        let bound = JSONValue.number(JSONNumber(literal: "1234567890123456789"))
        #expect(try ConditionTest(.ne, bound).holds(for: big))
        #expect(try ConditionTest(.gt, bound).holds(for: big))
        #expect(try !ConditionTest(.lte, bound).holds(for: big))
        // In a string, servers disagree: pydantic reads it exactly for an int parameter and rounds it to
        // 1234567890123456768 for a float one. No test can know which, so the call is denied with that reason.
        #expect(try !ConditionTest(.gt, bound).holds(for: "1234567890123456889"))
        let policy = compile(
            """
            version: 1
            rules:
              - name: big
                tool: t
                when:
                  args.n: {gt: 1234567890123456789}
                action: deny
            """
        )
        let decision = policy.decide(ToolCall(tool: "t", arguments: ["n": "1234567890123456889"]))
        #expect(decision.action == .deny)
        #expect(decision.reason?.contains("cannot be judged as a number") == true)
        // A decimal in a string is the double every reader makes of it.
        #expect(try ConditionTest(.eq, .number(JSONNumber(literal: "1234567890123456768"))).holds(for: "1234567890123456789.000"))
    }

    @Test("a string too long to judge against `matches` denies the call, with the reason, and quickly")
    func longMatches() {
        let policy = compile(
            """
            version: 1
            default: allow
            rules:
              - name: no drops
                tool: query
                when: {args.sql: {matches: "(?i)drop\\\\s+table"}}
                action: deny
              - name: only selects
                tool: select
                when: {args.sql: {not_matches: "^select "}}
                action: deny
            """
        )
        let huge = JSONValue.string(String(repeating: "a", count: 4 << 20))
        let clock = ContinuousClock()
        for tool in ["query", "select"] {
            var decision = Decision(action: .allow)
            let elapsed = clock.measure { decision = policy.decide(call(tool, ["sql": huge])) }
            #expect(decision.action == .deny, "\(tool)")
            #expect(decision.rule == (tool == "query" ? "no drops" : "only selects"))
            #expect(decision.reason?.contains("args.sql is too long to judge against `") == true, "\(decision.reason ?? "no reason")")
            #expect(decision.reason?.contains("4194304 bytes; limit") == true, "\(decision.reason ?? "no reason")")
            #expect(elapsed < .milliseconds(100), "\(elapsed)")
        }
        #expect(policy.decide(call("select", ["sql": "select 1"])).action == .allow)
    }

    @Test("`warden explain` says how it read a coerced value")
    func explainCoercion() {
        let amount = policy.explain(call("pay", ["amount": "1200"]))
        #expect(amount.rules[0].why == "args.amount = \"1200\" (read as number 1200) is greater than 500")
        let force = policy.explain(call("delete", ["force": "yes"]))
        #expect(force.rules[2].why == "args.force = \"yes\" (read as true) equals true")
        let wipe = policy.explain(call("wipe", ["opts": "{\"force\": true}"]))
        #expect(wipe.rules[1].why == "args.opts.force = true equals true")
    }

    @Test("JSON in a string that a path must enter but Warden cannot read denies the call, with the reason")
    func unreadableJSONInString() {
        // Python's json.loads reads NaN; Warden's strict parser does not, so it cannot tell what `force` is.
        let decision = policy.decide(call("wipe", ["opts": "{\"force\": true, \"n\": NaN}"]))
        #expect(decision.action == .deny)
        #expect(decision.rule == "forced wipes")
        #expect(decision.reason?.hasPrefix("the value of args.opts.force runs through a string that looks like JSON") == true)
    }

    @Test("a part that cannot be judged does not matter when another part decides: `any` holds, `all` fails")
    func threeValuedLogic() {
        let policy = compile(
            """
            version: 1
            default: allow
            rules:
              - name: either
                tool: a
                when: {any: [{args.x: {matches: "z"}}, {args.n: {gt: 5}}]}
                action: require_approval
              - name: both
                tool: b
                when: {all: [{args.x: {matches: "z"}}, {args.n: {gt: 5}}]}
                action: deny
            """
        )
        let huge = JSONValue.string(String(repeating: "a", count: ConditionTest.patternInputLimit + 1))
        #expect(policy.decide(call("a", ["x": huge, "n": 9])).action == .requireApproval)
        #expect(policy.decide(call("b", ["x": huge, "n": 1])).action == .allow)
        #expect(policy.decide(call("b", ["x": huge, "n": 9])).action == .deny)
        #expect(policy.decide(call("b", ["x": "z", "n": 9])).reason == nil)
    }

    @Test("`warden explain` shows why a value could not be judged, and that the call is denied for it")
    func explainUnjudgeable() {
        let policy = compile("version: 1\nrules:\n  - name: no drops\n    when: {args.sql: {not_matches: \"^select \"}}\n    action: allow\n")
        let explanation = policy.explain(call("query", ["sql": .string(String(repeating: "a", count: 20_000))]))
        let reason = "the value of args.sql is too long to judge against `not_matches` (20000 bytes; limit 16384)"
        #expect(explanation.decision.action == .deny)
        #expect(explanation.rules[0].why == reason)
        #expect(explanation.description.contains("tool `query`: deny by rule \"no drops\" — \(reason)"))
    }

    @Test("`contains` on a string holding a JSON array looks in the array too")
    func containsInJSONArrayString() throws {
        #expect(try ConditionTest(.contains, "admin").holds(for: "[\"ops\", \"\\u0061dmin\"]"))
        #expect(try ConditionTest(.contains, 3).holds(for: "[1, 2, 3]"))
        #expect(try !ConditionTest(.contains, 4).holds(for: "[1, 2, 3]"))
        #expect(try !ConditionTest(.contains, "x").holds(for: "[not json"))
    }

    @Test("a string that may hold a number but is too long to read as one denies a numeric test quickly, with the reason")
    func longNumberText() throws {
        let padded = JSONValue.string(String(repeating: "0", count: 4 << 20) + "1200")
        let clock = ContinuousClock()
        var decision = Decision(action: .allow)
        let elapsed = clock.measure { decision = policy.decide(call("pay", ["amount": padded])) }
        #expect(decision.action == .deny)
        #expect(decision.reason == "the value of args.amount is too long to read as a number (4194308 bytes; limit 4096)")
        #expect(elapsed < .milliseconds(20), "\(elapsed)")
        #expect(policy.decide(call("pay", ["amount": .string(String(repeating: "x", count: 10_000))])).action == .allow)
        #expect(try !ConditionTest(.ne, 5).holds(for: padded))
        #expect(try ConditionTest(.contains, 1200).holds(for: [padded, 1200]))
    }
}
