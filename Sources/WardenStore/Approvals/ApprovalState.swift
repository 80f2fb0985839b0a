/// Where an approval stands.
public struct ApprovalState: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable { case pending, approved, denied, expired, withdrawn }
    private let base: Base

    /// Waiting for a person.
    public static let pending = ApprovalState(base: .pending)
    public static let approved = ApprovalState(base: .approved)
    public static let denied = ApprovalState(base: .denied)
    /// Nobody answered in time, or the proxy holding the call went away.
    public static let expired = ApprovalState(base: .expired)
    /// The client cancelled the call while it waited.
    public static let withdrawn = ApprovalState(base: .withdrawn)

    public static let all: [ApprovalState] = [.pending, .approved, .denied, .expired, .withdrawn]

    public init?(name: String) {
        guard let base = Base(rawValue: name) else { return nil }
        self.base = base
    }

    private init(base: Base) { self.base = base }

    public var description: String { base.rawValue }
}
