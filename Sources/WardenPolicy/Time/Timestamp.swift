/// A point in wall-clock time, in milliseconds since the Unix epoch (UTC).
///
/// Policy code never reads a clock: callers pass a `Timestamp`, so decisions and limits replay exactly in tests,
/// and limit state written to a store keeps its meaning across a restart (a monotonic clock would not).
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public init(secondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = secondsSinceEpoch * 1000
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch + rhs.wholeMilliseconds)
    }

    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch - rhs.wholeMilliseconds)
    }

    /// The time from `other` to `self`.
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .milliseconds(lhs.millisecondsSinceEpoch - rhs.millisecondsSinceEpoch)
    }

    /// Hour of the day in UTC, 0–23.
    public var hourUTC: Int {
        Int(CivilDate.floorMod(millisecondsSinceEpoch / 1000, 86_400) / 3600)
    }

    /// Day of the week in UTC as a lowercase three-letter name (`mon` … `sun`).
    public var weekdayUTC: String {
        // 1970-01-01 was a Thursday.
        let days = CivilDate.floorDiv(millisecondsSinceEpoch / 1000, 86_400)
        let names = ["thu", "fri", "sat", "sun", "mon", "tue", "wed"]
        return names[Int(CivilDate.floorMod(days, 7))]
    }

    public var description: String { "\(millisecondsSinceEpoch)ms" }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
