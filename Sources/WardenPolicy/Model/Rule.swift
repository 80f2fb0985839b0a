/// One entry of a policy's `rules:` list: which calls it selects, and what it does to them.
///
/// Selectors left out match every call. A rule's effects are its action, its limits and its approval settings;
/// a rule with only limits matches and counts calls but leaves the action to other rules or the default.
public struct Rule: Hashable, Sendable {
    /// The rule's `name`, or `rule #N` (1-based, in file order) when it has none.
    public var name: String
    /// Where the rule starts in the file.
    public var position: SourcePosition
    /// Tool names or globs (`tool:`); nil matches every tool.
    public var tools: [String]?
    /// Agent ids or globs (`agent:`); nil matches every agent, and a call without an agent matches only nil.
    public var agents: [String]?
    /// Server names or globs (`server:`), for gateways that front several servers.
    public var servers: [String]?
    /// Tool categories (`category:`).
    public var categories: [ToolCategory]?
    /// The `when:` clause.
    public var condition: Condition?
    public var action: Action?
    /// Shown to the agent when the rule denies, and to the approver when it holds a call.
    public var reason: String?
    public var rateLimit: RateLimit?
    public var budget: Budget?
    public var approval: ApprovalSettings?
    /// `validate_arguments: false` turns the schema check off for the calls this rule decides.
    public var validateArguments: Bool?
    /// Where each effect key is written, so tools can point at one ("rate_limit is not enforced yet").
    public var actionPosition: SourcePosition?
    public var rateLimitPosition: SourcePosition?
    public var budgetPosition: SourcePosition?
    public var approvalPosition: SourcePosition?

    public init(
        name: String,
        position: SourcePosition,
        tools: [String]? = nil,
        agents: [String]? = nil,
        servers: [String]? = nil,
        categories: [ToolCategory]? = nil,
        condition: Condition? = nil,
        action: Action? = nil,
        reason: String? = nil,
        rateLimit: RateLimit? = nil,
        budget: Budget? = nil,
        approval: ApprovalSettings? = nil,
        actionPosition: SourcePosition? = nil,
        rateLimitPosition: SourcePosition? = nil,
        budgetPosition: SourcePosition? = nil,
        approvalPosition: SourcePosition? = nil
    ) {
        self.name = name
        self.position = position
        self.tools = tools
        self.agents = agents
        self.servers = servers
        self.categories = categories
        self.condition = condition
        self.action = action
        self.reason = reason
        self.rateLimit = rateLimit
        self.budget = budget
        self.approval = approval
        self.actionPosition = actionPosition
        self.rateLimitPosition = rateLimitPosition
        self.budgetPosition = budgetPosition
        self.approvalPosition = approvalPosition
    }
}
