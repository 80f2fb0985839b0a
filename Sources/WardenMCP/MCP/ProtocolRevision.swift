/// A revision of the Model Context Protocol, named by its date (`2025-06-18`).
///
/// Revisions order by their text, which for dates is chronological. Non-date names (a future `DRAFT-…`) sort after
/// every date, so a draft counts as the newest era, which is what drafts are.
public struct ProtocolRevision: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The revision as it appears on the wire, such as `2025-11-25`.
    public let raw: String

    public init(_ raw: String) { self.raw = raw }

    public static let v2024_11_05 = ProtocolRevision("2024-11-05")
    public static let v2025_03_26 = ProtocolRevision("2025-03-26")
    public static let v2025_06_18 = ProtocolRevision("2025-06-18")
    public static let v2025_11_25 = ProtocolRevision("2025-11-25")
    public static let v2026_07_28 = ProtocolRevision("2026-07-28")

    /// The revisions this module knows, oldest first.
    public static let known: [ProtocolRevision] = [.v2024_11_05, .v2025_03_26, .v2025_06_18, .v2025_11_25, .v2026_07_28]

    /// Whether this revision has no session: no `initialize` handshake, and every request carries its protocol
    /// version, client info and capabilities in `params._meta` (2026-07-28 and later, which the spec calls "modern").
    public var isStateless: Bool { self >= .v2026_07_28 }

    /// Whether JSON-RPC batches are allowed (2025-03-26 only: added then, removed in 2025-06-18).
    public var allowsBatches: Bool { self == .v2025_03_26 }

    public var description: String { raw }

    public static func < (lhs: ProtocolRevision, rhs: ProtocolRevision) -> Bool { lhs.raw < rhs.raw }
}
