public import WardenPolicy

/// The rate limits and budgets one call must fit, worked out from the rules that matched it.
///
/// Each rule's limit becomes a `LimitRequest` whose key names the counter: the server, the rule and the scope's
/// value (the session, the agent, the tool, or nothing for `global`). Keys do not depend on `max` or `window`,
/// so editing those in a reload keeps the count; renaming a rule starts a new counter.
public struct LimitPlan: Sendable {
    /// What one request stands for, to explain a refusal.
    public struct Label: Sendable, Hashable {
        public var rule: String
        public var reason: String?
        public var isBudget: Bool
        /// "at most 10 calls per 1m per session"
        public var summary: String
    }

    public var requests: [LimitRequest] = []
    public var labels: [Label] = []

    public var isEmpty: Bool { requests.isEmpty }

    /// Why a call cannot be counted at all (a budget's amount is missing, not a number, or negative).
    public struct Unfit: Error, Sendable, Hashable {
        public var rule: String
        public var reason: String
    }

    /// The limits of every matched rule, in file order.
    public static func make(for call: ToolCall, decision: Decision, policy: Policy) throws(Unfit) -> LimitPlan {
        var plan = LimitPlan()
        for index in decision.matchedRules {
            let rule = policy.rules[index]
            if let limit = rule.rateLimit {
                plan.requests.append(
                    LimitRequest(key: key(call, rule: rule.name, kind: "rate", per: limit.per), max: Double(limit.max), window: limit.window, cost: 1)
                )
                plan.labels.append(
                    Label(
                        rule: rule.name,
                        reason: rule.reason,
                        isBudget: false,
                        summary: "at most \(limit.max) call\(limit.max == 1 ? "" : "s") per \(format(limit.window)) per \(limit.per)"
                    )
                )
            }
            if let budget = rule.budget {
                guard let amount = budget.amount(in: call) else {
                    throw Unfit(rule: rule.name, reason: "the budget counts `\(budget.sum)`, which this call does not give as a number")
                }
                guard amount >= 0 else {
                    throw Unfit(rule: rule.name, reason: "the budget counts `\(budget.sum)`, which must not be negative")
                }
                plan.requests.append(
                    LimitRequest(key: key(call, rule: rule.name, kind: "budget", per: budget.per), max: budget.max, window: budget.window, cost: amount)
                )
                plan.labels.append(
                    Label(
                        rule: rule.name,
                        reason: rule.reason,
                        isBudget: true,
                        summary: "at most \(formatAmount(budget.max)) of \(budget.sum) per \(format(budget.window)) per \(budget.per)"
                    )
                )
            }
        }
        return plan
    }

    private static func key(_ call: ToolCall, rule: String, kind: String, per scope: LimitScope) -> String {
        let value: String
        switch scope {
        case .agent: value = call.agentID ?? "(anonymous)"
        case .tool: value = call.tool
        case .global: value = "*"
        default: value = call.sessionID ?? "(no session)"
        }
        return "server=\(call.server ?? "")|rule=\(rule)|\(kind)|\(scope)=\(value)"
    }

    /// A window as a person writes it: 45s, 5m, 1h, 1d.
    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.wholeMilliseconds
        guard milliseconds % 1000 == 0 else { return "\(milliseconds)ms" }
        let seconds = milliseconds / 1000
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    static func formatAmount(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
