public import WardenPolicy

/// Which records a query returns: every field that is set must match.
public struct AuditFilter: Sendable, Hashable {
    /// Records at or after this time.
    public var since: Timestamp?
    /// Records at or before this time.
    public var until: Timestamp?
    public var agentID: String?
    public var tool: String?
    public var decision: AuditDecision?
    public var rule: String?
    /// Only records with a larger id: how `warden audit --follow` asks for what is new since its last look.
    public var afterID: Int64?
    /// At most this many: the newest ones, still returned oldest first.
    public var limit: Int?

    public init(
        since: Timestamp? = nil,
        until: Timestamp? = nil,
        agentID: String? = nil,
        tool: String? = nil,
        decision: AuditDecision? = nil,
        rule: String? = nil,
        afterID: Int64? = nil,
        limit: Int? = nil
    ) {
        self.since = since
        self.until = until
        self.agentID = agentID
        self.tool = tool
        self.decision = decision
        self.rule = rule
        self.afterID = afterID
        self.limit = limit
    }

    /// Whether `record` passes the filter (the `limit` aside): the rule the SQL query and the memory store share.
    public func matches(_ record: AuditRecord) -> Bool {
        if let since, record.time < since { return false }
        if let until, record.time > until { return false }
        if let agentID, record.agentID != agentID { return false }
        if let tool, record.tool != tool { return false }
        if let decision, record.decision != decision { return false }
        if let rule, record.rule != rule { return false }
        if let afterID, (record.id ?? Int64.min) <= afterID { return false }
        return true
    }
}
