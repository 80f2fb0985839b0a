/// Names one admitted call's reservation, so the caller can later say it was forwarded, committed or rolled back.
///
/// Identifiers are unique within the ledger (or store) that issued them; they are never written to a store.
public struct ReservationID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public var description: String { "reservation-\(rawValue)" }
}
