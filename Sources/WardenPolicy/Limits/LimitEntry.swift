/// One forwarded call's cost under one limit, as a store records it to count it again after a restart.
///
/// Only forwarded calls become entries: a reservation that was never forwarded sent nothing upstream, so losing it in
/// a crash loses nothing that happened.
public struct LimitEntry: Sendable, Hashable {
    public var key: String
    /// When the call was forwarded upstream; the entry counts in every window that contains this time.
    public var time: Timestamp
    public var cost: Double
    /// The window of the limit that recorded it, so a store can drop the entry once it can no longer count.
    public var window: Duration

    public init(key: String, time: Timestamp, cost: Double, window: Duration) {
        self.key = key
        self.time = time
        self.cost = cost
        self.window = window
    }

    /// The first time at which the entry no longer counts in any window.
    public var expiry: Timestamp { time + window }
}
