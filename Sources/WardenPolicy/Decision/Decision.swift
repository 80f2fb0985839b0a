/// What the policy decided about one call, and which rules took part.
public struct Decision: Hashable, Sendable {
    public var action: Action
    /// The deciding rule's name; nil when no matching rule set an action and the policy's default decided.
    public var rule: String?
    /// The deciding rule's index in `Policy.rules`.
    public var ruleIndex: Int?
    /// The deciding rule's reason, if it gave one.
    public var reason: String?
    /// Every rule whose selectors and conditions matched, in file order; the limits of all of them apply.
    public var matchedRules: [Int]
    /// For `require_approval`: the deciding rule's approval settings, or the defaults when it gave none
    /// (also when the default decided). Nil for other actions.
    public var approval: ApprovalSettings?

    public init(
        action: Action,
        rule: String? = nil,
        ruleIndex: Int? = nil,
        reason: String? = nil,
        matchedRules: [Int] = [],
        approval: ApprovalSettings? = nil
    ) {
        self.action = action
        self.rule = rule
        self.ruleIndex = ruleIndex
        self.reason = reason
        self.matchedRules = matchedRules
        self.approval = approval
    }

    /// Whether the default decided, because no matching rule set an action.
    public var isDefault: Bool { ruleIndex == nil }
}
