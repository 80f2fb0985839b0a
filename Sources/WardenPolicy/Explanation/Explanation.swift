/// Why a policy decided what it did about one call: the decision and every rule's verdict, in file order.
///
/// It shows argument values, which decisions and logs never do; explaining is an explicit debugging step.
public struct Explanation: Hashable, Sendable, CustomStringConvertible {
    public var tool: String
    public var isHidden: Bool
    /// The decision the policy would make were the tool not hidden.
    public var decision: Decision
    /// The policy's default action, shown when it decided.
    public var defaultAction: Action
    public var rules: [RuleTrace]

    public init(tool: String, isHidden: Bool, decision: Decision, defaultAction: Action, rules: [RuleTrace]) {
        self.tool = tool
        self.isHidden = isHidden
        self.decision = decision
        self.defaultAction = defaultAction
        self.rules = rules
    }

    /// A readable report, one line for the decision and one per rule.
    public var description: String {
        var lines: [String] = []
        if isHidden {
            lines.append("tool `\(tool)`: hidden — it is left out of tools/list and a call gets \"unknown tool\"")
            lines.append("(were it not hidden, the decision would be \(decisionSummary))")
        } else {
            lines.append("tool `\(tool)`: \(decisionSummary)")
        }
        if rules.isEmpty { lines.append("no rules") }
        for trace in rules {
            let verdict = trace.matched ? "matched    " : "not matched"
            let action = trace.action.map { " [\($0)]" } ?? ""
            let deciding = trace.ruleIndex == decision.ruleIndex ? "  ← decides" : ""
            lines.append("  \(verdict) rule \"\(trace.name)\"\(action) (\(trace.position)): \(trace.why)\(deciding)")
        }
        return lines.joined(separator: "\n")
    }

    private var decisionSummary: String {
        guard let rule = decision.rule else {
            return "\(decision.action) (the policy's default; no matching rule sets an action)"
        }
        var text = "\(decision.action) by rule \"\(rule)\""
        if let reason = decision.reason { text += " — \(reason)" }
        return text
    }
}
