/// What Warden decided about a call, as the audit trail spells it.
///
/// A struct over a name rather than a public enum, so a new kind of decision is not a breaking change, and a trail
/// written by a newer Warden still reads (its unknown names are kept as they are).
public struct AuditDecision: Hashable, Sendable, CustomStringConvertible {
    private let name: String

    private init(_ name: String) { self.name = name }

    /// The policy let the call through.
    public static let allowed = AuditDecision("allowed")
    /// A rule (or the default) refused the call.
    public static let denied = AuditDecision("denied")
    /// The tool was removed from `tools/list`, or a call to a hidden tool was refused as unknown.
    public static let hidden = AuditDecision("hidden")
    /// A rate limit refused the call.
    public static let rateLimited = AuditDecision("rate_limited")
    /// A budget refused the call.
    public static let budgetExceeded = AuditDecision("budget_exceeded")
    /// The call is held until a person decides; a later record says how it ended.
    public static let approvalPending = AuditDecision("approval_pending")
    /// A person approved a held call, which was then forwarded.
    public static let approvalApproved = AuditDecision("approval_approved")
    /// A person refused a held call.
    public static let approvalDenied = AuditDecision("approval_denied")
    /// Nobody decided in time, or the proxy holding the call went away.
    public static let approvalExpired = AuditDecision("approval_expired")
    /// The request was not a well-formed `tools/call` and was refused before any rule ran.
    public static let invalid = AuditDecision("invalid")
    /// A server changed a pinned tool's definition (or listed a new one while new tools are held): the tool is held.
    public static let pinChanged = AuditDecision("pin_changed")
    /// A person accepted a held tool definition, which is trusted from then on.
    public static let pinAccepted = AuditDecision("pin_accepted")
    /// Something about a tool's definition a person should know, that stopped nothing: a schema Warden cannot
    /// compile (the tool's calls are judged by the rules alone), a flagged poisoning finding, a change under `pins: warn`.
    public static let definitionWarning = AuditDecision("definition_warning")

    /// Every decision this version writes, in the order the docs list them.
    public static let all: [AuditDecision] = [
        .allowed, .denied, .hidden, .rateLimited, .budgetExceeded, .approvalPending, .approvalApproved, .approvalDenied,
        .approvalExpired, .invalid, .pinChanged, .pinAccepted,
        .definitionWarning,
    ]

    /// Reads a decision as written on the command line or in the trail; nil for a name this version does not know.
    public init?(name: String) {
        guard let known = Self.all.first(where: { $0.name == name }) else { return nil }
        self = known
    }

    /// A name read back from a store, kept even when this version does not know it.
    init(stored name: String) { self.name = name }

    /// Whether the call was refused by policy (or by a person): these are what "top denying rules" counts.
    public var isRefusal: Bool {
        [.denied, .rateLimited, .budgetExceeded, .approvalDenied, .approvalExpired, .invalid].contains(self)
    }

    /// Whether the call went (or may still go) to the server, so an upstream outcome will follow.
    public var isForwarded: Bool { self == .allowed || self == .approvalApproved }

    public var description: String { name }
}
