public import WardenPolicy

/// What the trail says about recent traffic, for `warden status`: counted by the store, not by the caller.
public struct AuditSummary: Sendable, Hashable {
    /// A rule and how many calls it refused.
    public struct RuleCount: Sendable, Hashable {
        public var rule: String
        public var count: Int

        public init(rule: String, count: Int) {
            self.rule = rule
            self.count = count
        }
    }

    /// The start of the counted span.
    public var since: Timestamp
    /// Records in the span, of every decision.
    public var total: Int
    /// Records in the span by decision; decisions that did not occur are absent.
    public var byDecision: [AuditDecision: Int]
    /// The rules behind the most refusals (``AuditDecision/isRefusal``), most first, ties by name; at most five.
    public var topDenyingRules: [RuleCount]

    public init(since: Timestamp, total: Int = 0, byDecision: [AuditDecision: Int] = [:], topDenyingRules: [RuleCount] = []) {
        self.since = since
        self.total = total
        self.byDecision = byDecision
        self.topDenyingRules = topDenyingRules
    }

    /// How many rules ``topDenyingRules`` lists at most.
    public static let topRuleCount = 5

    /// Records refused by policy or by a person.
    public var refusals: Int { byDecision.filter { $0.key.isRefusal }.values.reduce(0, +) }
}

extension AuditSummary {
    /// The summary of `records` (already limited to the span): the memory store's way, and the reference the SQL
    /// version is tested against.
    public init(since: Timestamp, records: some Sequence<AuditRecord>) {
        var total = 0
        var byDecision: [AuditDecision: Int] = [:]
        var rules: [String: Int] = [:]
        for record in records {
            total += 1
            byDecision[record.decision, default: 0] += 1
            if record.decision.isRefusal, let rule = record.rule { rules[rule, default: 0] += 1 }
        }
        let top = rules.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(Self.topRuleCount)
        self.init(since: since, total: total, byDecision: byDecision, topDenyingRules: top.map { RuleCount(rule: $0.key, count: $0.value) })
    }
}
