/// One admitted call's share of each limit, and whether it has been forwarded yet.
struct Reservation: Sendable {
    struct Part: Sendable {
        var key: String
        var amount: LimitAmount
        /// The cost as the caller gave it, so a stored entry restores to exactly the same amount.
        var cost: Double
        var window: Int64

        func entry(at time: Int64) -> LimitEntry {
            LimitEntry(
                key: key,
                time: Timestamp(millisecondsSinceEpoch: time),
                cost: cost,
                window: .milliseconds(window)
            )
        }
    }

    /// Reservation time in milliseconds; an entry is never counted earlier than this.
    var reservedAt: Int64
    var parts: [Part] = []
    /// When the call was forwarded; `nil` while pending.
    var forwardedAt: Int64?
}
