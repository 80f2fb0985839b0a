/// Runs a policy's `tests:` against the policy, so a policy change is checked like a code change.
public enum PolicyTestRunner {
    /// The result of every test in `policy.policy.tests`, in file order, deciding each call as if made at `time`.
    public static func run(_ policy: CompiledPolicy, at time: Timestamp) -> [PolicyTestResult] {
        policy.policy.tests.map { run($0, against: policy, at: time) }
    }

    /// The result of one test.
    public static func run(_ test: PolicyTestCase, against policy: CompiledPolicy, at time: Timestamp) -> PolicyTestResult {
        if policy.isHidden(test.tool) {
            let passed = test.expect == .hidden
            let message = passed ? "hidden" : "expected \(test.expect), but `\(test.tool)` is hidden by the policy's `hide` list"
            return PolicyTestResult(testCase: test, passed: passed, message: message, decision: nil)
        }
        let call = ToolCall(
            tool: test.tool,
            arguments: test.arguments,
            agentID: test.agentID,
            agentGroups: test.agentGroups,
            clientName: test.clientName,
            server: test.server,
            category: policy.policy.category(of: test.tool),
            time: time
        )
        let decision = policy.decide(call)
        let got = describe(decision)
        guard let expected = test.expect.action else {
            return PolicyTestResult(testCase: test, passed: false, message: "expected hidden, got \(got)", decision: decision)
        }
        guard decision.action == expected else {
            return PolicyTestResult(testCase: test, passed: false, message: "expected \(expected), got \(got)", decision: decision)
        }
        if let rule = test.rule, decision.rule != rule {
            let message = "expected \(expected) by rule \"\(rule)\", got \(got)"
            return PolicyTestResult(testCase: test, passed: false, message: message, decision: decision)
        }
        return PolicyTestResult(testCase: test, passed: true, message: got, decision: decision)
    }

    private static func describe(_ decision: Decision) -> String {
        guard let rule = decision.rule else { return "\(decision.action) (default)" }
        return "\(decision.action) by rule \"\(rule)\""
    }
}
