/// Whose calls share one rate-limit or budget counter.
public struct LimitScope: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable {
        case session, agent, tool, global
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// One counter per downstream session (the default): a fresh connection starts fresh.
    public static let session = LimitScope(.session)
    /// One counter per agent id, shared by all its sessions.
    public static let agent = LimitScope(.agent)
    /// One counter per tool name.
    public static let tool = LimitScope(.tool)
    /// One counter for every call the rule matches.
    public static let global = LimitScope(.global)

    /// Every scope, in the order the docs list them.
    public static let all: [LimitScope] = [.session, .agent, .tool, .global]

    /// Reads the spelling used in policy files.
    public init?(name: String) {
        guard let base = Base(rawValue: name) else { return nil }
        self.base = base
    }

    /// The spelling used in policy files.
    public var description: String { base.rawValue }
}
