/// How one rule fared against one call, for `warden explain`.
public struct RuleTrace: Hashable, Sendable {
    public var ruleIndex: Int
    public var name: String
    public var position: SourcePosition
    /// Whether all the rule's selectors and its condition matched.
    public var matched: Bool
    /// The rule's action, if it has one.
    public var action: Action?
    /// Why the rule matched or not: the selector that rejected the call, or the condition with the values it saw.
    public var why: String

    public init(ruleIndex: Int, name: String, position: SourcePosition, matched: Bool, action: Action?, why: String) {
        self.ruleIndex = ruleIndex
        self.name = name
        self.position = position
        self.matched = matched
        self.action = action
        self.why = why
    }
}
