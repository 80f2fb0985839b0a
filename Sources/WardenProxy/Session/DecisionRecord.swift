public import WardenPolicy

/// What Warden decided about one `tools/call`, as logs and the audit trail see it.
///
/// Argument values are deliberately absent: a record says which tool, who and why, never what was passed.
public struct DecisionRecord: Sendable, Hashable {
    /// The outcome as reported to people and programs.
    public struct Outcome: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        public static let allowed = Outcome(description: "allowed")
        public static let denied = Outcome(description: "denied")
        public static let hidden = Outcome(description: "hidden")
        public static let rateLimited = Outcome(description: "rate_limited")
        public static let budgetExceeded = Outcome(description: "budget_exceeded")
        public static let invalid = Outcome(description: "invalid")
        public static let approvalPending = Outcome(description: "approval_pending")
        public static let approvalApproved = Outcome(description: "approval_approved")
        public static let approvalDenied = Outcome(description: "approval_denied")
        public static let approvalExpired = Outcome(description: "approval_expired")
    }

    public var time: Timestamp
    public var tool: String
    public var outcome: Outcome
    public var rule: String?
    public var reason: String?
    public var agentID: String?
    public var sessionID: String
    public var clientName: String?
    public var serverName: String?
}
