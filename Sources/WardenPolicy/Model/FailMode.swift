/// What Warden does with a call when it cannot reach its store to check limits or record the decision.
public struct FailMode: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable {
        case closed, open
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// Refuse the call (the default): an outage must not become a way around the rules.
    public static let closed = FailMode(.closed)
    /// Let the call through as if limits were not set; for policies that prefer availability.
    public static let open = FailMode(.open)

    /// Reads the spelling used in policy files (`fail: open | closed`).
    public init?(name: String) {
        guard let base = Base(rawValue: name) else { return nil }
        self.base = base
    }

    public var description: String { base.rawValue }
}
