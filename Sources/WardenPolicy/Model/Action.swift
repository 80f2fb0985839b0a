/// What a rule (or the policy's default) does with a tool call.
///
/// A struct rather than an enum so new actions can be added without breaking callers that switch over them.
/// Actions are ordered by strictness, because when several rules match, the strictest one wins.
public struct Action: Hashable, Comparable, Sendable, CustomStringConvertible {
    private enum Base: Int, Hashable, Sendable {
        case allow = 0
        case requireApproval = 1
        case deny = 2
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// The call goes to the server.
    public static let allow = Action(.allow)
    /// The call waits until a person approves it.
    public static let requireApproval = Action(.requireApproval)
    /// The call is refused with a reason the agent can read.
    public static let deny = Action(.deny)

    /// Every action, from the most lenient to the strictest.
    public static let all: [Action] = [.allow, .requireApproval, .deny]

    /// Reads the spelling used in policy files.
    public init?(name: String) {
        switch name {
        case "allow": self = .allow
        case "require_approval": self = .requireApproval
        case "deny": self = .deny
        default: return nil
        }
    }

    /// The spelling used in policy files: `allow`, `require_approval` or `deny`.
    public var description: String {
        switch base {
        case .allow: "allow"
        case .requireApproval: "require_approval"
        case .deny: "deny"
        }
    }

    /// Stricter actions compare greater: allow < require_approval < deny.
    public static func < (lhs: Action, rhs: Action) -> Bool { lhs.base.rawValue < rhs.base.rawValue }
}
