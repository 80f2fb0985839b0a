/// What came of a call upstream, as the audit trail spells it.
///
/// A struct over a name, like ``AuditDecision``: new outcomes are not a breaking change, and unknown names read from
/// a store are kept.
public struct AuditOutcome: Hashable, Sendable, CustomStringConvertible {
    private let name: String

    private init(_ name: String) { self.name = name }

    /// The server answered with a result.
    public static let result = AuditOutcome("result")
    /// The server answered with a result that says `isError: true`.
    public static let toolError = AuditOutcome("tool_error")
    /// The server answered with a JSON-RPC error.
    public static let rpcError = AuditOutcome("rpc_error")
    /// The server did not answer within the call timeout.
    public static let timeout = AuditOutcome("timeout")
    /// The server exited (or the connection to it broke) before answering.
    public static let dead = AuditOutcome("dead")
    /// The call was never forwarded: Warden refused it.
    public static let refused = AuditOutcome("refused")

    /// Every outcome this version writes.
    public static let all: [AuditOutcome] = [.result, .toolError, .rpcError, .timeout, .dead, .refused]

    /// Reads an outcome by name; nil for a name this version does not know.
    public init?(name: String) {
        guard let known = Self.all.first(where: { $0.name == name }) else { return nil }
        self = known
    }

    /// A name read back from a store, kept even when this version does not know it.
    init(stored name: String) { self.name = name }

    public var description: String { name }
}
