/// Warden's own name for one request of the client, never reused within a session.
///
/// The client picks its request ids and may reuse them to confuse the bookkeeping (a twin request whose error
/// answer would roll back the other's reservation). Everything Warden keeps about a call lives under this key;
/// the client's id only finds the key while the call is in flight.
public struct CallKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    let rawValue: UInt64

    public static func < (lhs: CallKey, rhs: CallKey) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "call-\(rawValue)" }
}
