/// The outcome of one policy test.
public struct PolicyTestResult: Hashable, Sendable {
    public var testCase: PolicyTestCase
    public var passed: Bool
    /// What happened, in one line: the decision on a pass, the mismatch on a failure.
    public var message: String
    /// The policy's decision, or nil when the tool was hidden.
    public var decision: Decision?

    public init(testCase: PolicyTestCase, passed: Bool, message: String, decision: Decision?) {
        self.testCase = testCase
        self.passed = passed
        self.message = message
        self.decision = decision
    }
}
