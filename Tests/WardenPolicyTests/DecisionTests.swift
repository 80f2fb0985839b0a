import Testing
import WardenJSON
import WardenPolicy

struct DecisionTests {
    let policy = compile(
        """
        version: 1
        default: allow
        rules:
          - name: charges are logged
            tool: create_charge
            rate_limit: {max: 100, window: 1h}
          - name: small charges are fine
            tool: create_charge
            when: {args.amount: {lte: 100}}
            action: allow
          - name: large charges need a human
            tool: create_charge
            when: {args.amount: {gt: 100}}
            action: require_approval
            reason: Large charges are reviewed
            approval: {timeout: 10m}
          - name: huge charges are refused
            tool: create_charge
            when: {args.amount: {gt: 10000}}
            action: deny
            reason: Too large
          - name: refunds need a human
            tool: "refund_*"
            action: require_approval
          - name: no money on weekends
            tool: ["create_charge", "refund_*"]
            when: {time.weekday: {in: [sat, sun]}}
            action: deny
            reason: Weekend freeze
          - name: everything else is counted
            rate_limit: {max: 1000, window: 1d}
        """
    )

    @Test("with no matching rule that sets an action, the default decides")
    func defaultDecides() {
        let decision = policy.decide(call("get_user"))
        #expect(decision == Decision(action: .allow, matchedRules: [6]))
        #expect(decision.isDefault)
    }

    @Test("the default can be deny or require_approval")
    func strictDefaults() {
        let deny = compile("version: 1\ndefault: deny\nrules:\n  - tool: a\n    action: allow\n")
        #expect(deny.decide(call("b")).action == .deny)
        #expect(deny.decide(call("a")).action == .allow)
        let held = compile("version: 1\ndefault: require_approval\n").decide(call("x"))
        #expect(held.action == .requireApproval)
        #expect(held.approval == ApprovalSettings())
    }

    @Test("the strictest action among matching rules wins: deny over require_approval over allow")
    func strictestWins() {
        #expect(policy.decide(call("create_charge", ["amount": 50])).action == .allow)
        let held = policy.decide(call("create_charge", ["amount": 500]))
        #expect(held.action == .requireApproval)
        #expect(held.rule == "large charges need a human")
        #expect(held.ruleIndex == 2)
        #expect(held.reason == "Large charges are reviewed")
        #expect(held.approval == ApprovalSettings(timeout: .seconds(600)))
        let denied = policy.decide(call("create_charge", ["amount": 50_000]))
        #expect(denied.action == .deny)
        #expect(denied.rule == "huge charges are refused")
        #expect(denied.reason == "Too large")
        #expect(denied.approval == nil)
        #expect(denied.matchedRules == [0, 2, 3, 6])
    }

    @Test("a deny reports the first denying rule in file order")
    func firstDenyReported() {
        let policy = compile(
            """
            version: 1
            rules:
              - name: approve
                action: require_approval
              - name: first deny
                when: {args.a: 1}
                action: deny
                reason: first
              - name: second deny
                action: deny
                reason: second
            """
        )
        let decision = policy.decide(call("t", ["a": 1]))
        #expect(decision.rule == "first deny")
        #expect(decision.reason == "first")
        #expect(decision.matchedRules == [0, 1, 2])
        #expect(policy.decide(call("t", ["a": 2])).rule == "second deny")
    }

    @Test("the first allowing rule is reported when only allows match")
    func firstAllowReported() {
        let policy = compile("version: 1\ndefault: deny\nrules:\n  - name: one\n    action: allow\n  - name: two\n    action: allow\n")
        #expect(policy.decide(call("t")).rule == "one")
    }

    @Test("rules with only limits match and are listed, but leave the action to others")
    func limitOnlyRules() {
        let decision = policy.decide(call("create_charge"))
        // No amount: neither size rule matches (absent fails `lte` and `gt`), so only the limit rules match.
        #expect(decision.action == .allow)
        #expect(decision.rule == nil)
        #expect(decision.matchedRules == [0, 6])
    }

    @Test("exact names, globs and rules without a tool selector are all visited in file order")
    func indexOrder() {
        // 2024-01-06 is a Saturday.
        var saturday = call("refund_charge")
        saturday.time = Timestamp(secondsSinceEpoch: 1_704_535_200)
        let decision = policy.decide(saturday)
        #expect(decision.action == .deny)
        #expect(decision.rule == "no money on weekends")
        #expect(decision.matchedRules == [4, 5, 6])
        var charge = call("create_charge", ["amount": 5])
        charge.time = saturday.time
        #expect(policy.decide(charge).matchedRules == [0, 1, 5, 6])
    }

    @Test("agent, server and category selectors must all match; a call without the value never matches them")
    func selectors() {
        let policy = compile(
            """
            version: 1
            rules:
              - name: ci agents
                agent: ["ci-*"]
                action: deny
              - name: billing server
                server: billing
                action: deny
              - name: destructive tools
                category: [destructive, financial]
                action: require_approval
            """
        )
        #expect(policy.decide(call("t", agent: "ci-1")).rule == "ci agents")
        #expect(policy.decide(call("t", agent: "dev-1")).rule == nil)
        #expect(policy.decide(call("t")).rule == nil)
        #expect(policy.decide(call("t", server: "billing")).rule == "billing server")
        #expect(policy.decide(call("t", server: "other")).rule == nil)
        #expect(policy.decide(call("t", category: .destructive)).rule == "destructive tools")
        #expect(policy.decide(call("t", category: .read)).rule == nil)
    }

    @Test("a call without a category gets the policy's entry or the classifier's guess")
    func categoryFallback() {
        let policy = compile(
            """
            version: 1
            categories: {cleanup: destructive}
            rules:
              - category: destructive
                action: deny
            """
        )
        #expect(policy.decide(call("delete_user")).action == .deny)
        #expect(policy.decide(call("cleanup")).action == .deny)
        #expect(policy.decide(call("get_user")).action == .allow)
        #expect(policy.decide(call("get_user", category: .destructive)).action == .deny)
    }

    @Test("a rule naming a tool both exactly and by glob is visited once")
    func exactAndGlobVisitedOnce() {
        let policy = compile("version: 1\nrules:\n  - tool: [a_1, \"a_*\"]\n    rate_limit: {max: 1, window: 1}\n")
        #expect(policy.decide(call("a_1")).matchedRules == [0])
        #expect(policy.decide(call("a_2")).matchedRules == [0])
        #expect(policy.decide(call("b")).matchedRules == [])
    }

    @Test("many rules: only rules for the tool, globs and untargeted rules match")
    func manyRules() {
        var yaml = "version: 1\nrules:\n"
        for index in 0..<500 { yaml += "  - tool: tool_\(index)\n    action: \(index % 2 == 0 ? "allow" : "deny")\n" }
        yaml += "  - tool: \"tool_4*\"\n    rate_limit: {max: 1, window: 1}\n"
        let policy = compile(yaml)
        #expect(policy.decide(call("tool_41")) == Decision(action: .deny, rule: "rule #42", ruleIndex: 41, matchedRules: [41, 500]))
        #expect(policy.decide(call("tool_40")).matchedRules == [40, 500])
        #expect(policy.decide(call("tool_7")).matchedRules == [7])
        #expect(policy.decide(call("nope")).matchedRules == [])
    }

    @Test("a budget reads its amount from the call, as the server reads it, and has none when it is absent or not a number")
    func budgetAmount() throws {
        let budget = Budget(sum: try ValuePath(parsing: "args.amount"), max: 100, window: .seconds(60))
        #expect(budget.amount(in: call("c", ["amount": 12.5])) == 12.5)
        #expect(budget.amount(in: call("c", ["amount": "12"])) == 12)
        #expect(budget.amount(in: call("c", ["amount": "twelve"])) == nil)
        #expect(budget.amount(in: call("c", ["amount": "inf"])) == nil)
        #expect(budget.amount(in: call("c")) == nil)
    }
}
