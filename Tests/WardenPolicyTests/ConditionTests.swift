import Testing
import WardenJSON
import WardenPolicy

struct ConditionTests {
    /// The first rule's condition in a policy whose only rule has `when` set to `yaml` (indented under `when:`).
    func condition(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> Condition {
        let indented = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
        let policy = load("version: 1\nrules:\n  - action: deny\n    when:\n\(indented)\n", sourceLocation: sourceLocation)
        guard let condition = policy.rules.first?.condition else {
            Issue.record("no condition loaded", sourceLocation: sourceLocation)
            return .all([])
        }
        return condition
    }

    @Test("every entry of a `when` map must hold")
    func mapMeansAll() {
        let when = condition("args.a: 1\nargs.b: {gt: 2, lt: 5}")
        #expect(when.holds(for: call("t", ["a": 1, "b": 3])))
        #expect(!when.holds(for: call("t", ["a": 1, "b": 5])))
        #expect(!when.holds(for: call("t", ["a": 2, "b": 3])))
        #expect(!when.holds(for: call("t", ["b": 3])))
    }

    @Test("a bare value means equality, a bare list equality with the list")
    func bareValueMeansEquality() {
        let scalar = condition("args.currency: EUR")
        #expect(scalar.holds(for: call("t", ["currency": "EUR"])))
        #expect(!scalar.holds(for: call("t", ["currency": "USD"])))
        let number = condition("args.n: 5")
        #expect(number.holds(for: call("t", ["n": 5.0])))
        #expect(number.holds(for: call("t", ["n": "5"])), "a server reads \"5\" as 5 for a number parameter")
        #expect(!number.holds(for: call("t", ["n": "five"])))
        let quoted = condition("args.n: \"5\"")
        #expect(quoted.holds(for: call("t", ["n": "5"])))
        #expect(!quoted.holds(for: call("t", ["n": 5])))
        let list = condition("args.tags: [a, b]")
        #expect(list.holds(for: call("t", ["tags": ["a", "b"]])))
        #expect(!list.holds(for: call("t", ["tags": "a"])))
    }

    @Test("`any`, `all` and `not` nest to any depth")
    func nesting() {
        let when = condition(
            """
            any:
              - all:
                  - args.amount: {gt: 100}
                  - not: {args.currency: EUR}
              - not:
                  any:
                    - agent.id: {starts_with: "trusted-"}
                    - agent.groups: {contains: finance}
            """
        )
        // First branch: large and not EUR.
        #expect(when.holds(for: call("t", ["amount": 200, "currency": "USD"], agent: "trusted-1")))
        #expect(!when.holds(for: call("t", ["amount": 200, "currency": "EUR"], agent: "trusted-1")))
        #expect(!when.holds(for: call("t", ["amount": 50, "currency": "USD"], agent: "trusted-1")))
        // Second branch: neither trusted nor in finance.
        #expect(when.holds(for: call("t", ["amount": 50], agent: "intern")))
        #expect(!when.holds(for: call("t", ["amount": 50], agent: "intern", groups: ["finance"])))
        #expect(when.holds(for: call("t", ["amount": 50])))
    }

    @Test("`any` holds when one holds; an empty `any` never holds and an empty `all` always does")
    func emptyCombinators() {
        let call = call("t", ["a": 1])
        #expect(!Condition.any([]).holds(for: call))
        #expect(Condition.all([]).holds(for: call))
        #expect(condition("any: [{args.a: 2}, {args.a: 1}]").holds(for: call))
        #expect(!condition("any: [{args.a: 2}, {args.a: 3}]").holds(for: call))
    }

    @Test("paths step into objects and arrays; `args` alone is the whole arguments object")
    func pathsWithIndexes() {
        let arguments: JSONValue = ["items": [["sku": "A-1", "qty": 2], ["sku": "B-2"]], "meta": ["tags": ["x", "y"]]]
        #expect(condition("args.items[0].sku: A-1").holds(for: call("t", arguments)))
        #expect(condition("args.items[1].sku: {starts_with: B}").holds(for: call("t", arguments)))
        #expect(condition("args.items[2].sku: {exists: false}").holds(for: call("t", arguments)))
        #expect(condition("args.meta.tags[1]: y").holds(for: call("t", arguments)))
        #expect(condition("args.items: {max_length: 2}").holds(for: call("t", arguments)))
        #expect(condition("args.items.sku: {exists: false}").holds(for: call("t", arguments)))
        #expect(condition("args: {type: object}").holds(for: call("t", arguments)))
        #expect(condition("args: {exists: false}").holds(for: ToolCall(tool: "t")))
        #expect(condition("args: {eq: {}}").holds(for: call("t", [:])))
    }

    @Test("JSON null in the arguments counts as absent")
    func nullIsAbsent() {
        #expect(condition("args.uri: {not_starts_with: \"s3://ok/\"}").holds(for: call("t", ["uri": nil])))
        #expect(!condition("args.amount: {lte: 100}").holds(for: call("t", ["amount": nil])))
        #expect(condition("args.amount: {exists: false}").holds(for: call("t", ["amount": nil])))
    }

    @Test("paths read the agent, session, client, tool, server, category and time of the call")
    func callPaths() {
        // 2024-01-01T10:00:00Z is a Monday.
        let call = call("run_job", agent: "ci-7", groups: ["ops", "ci"], server: "jobs", category: .execute)
        #expect(condition("agent.id: ci-7").holds(for: call))
        #expect(condition("agent.groups: {contains: ops}").holds(for: call))
        #expect(condition("session.id: session-1").holds(for: call))
        #expect(condition("client.name: test-client").holds(for: call))
        #expect(condition("tool: {matches: \"^run_\"}").holds(for: call))
        #expect(condition("server: jobs").holds(for: call))
        #expect(condition("category: execute").holds(for: call))
        #expect(condition("time.hour: 10").holds(for: call))
        #expect(condition("time.hour: {gte: 9, lt: 17}").holds(for: call))
        #expect(condition("time.weekday: {in: [mon, tue, wed, thu, fri]}").holds(for: call))
        #expect(condition("agent.id: {exists: false}").holds(for: ToolCall(tool: "t")))
    }

    @Test("conditions print back in YAML flow style")
    func descriptions() {
        #expect(condition("args.a: {gt: 1}\nnot: {args.b: x}").description == "all: [{args.a: {gt: 1}}, {not: {args.b: {eq: \"x\"}}}]")
    }
}
