public import WardenPolicy

/// An arbitrary, fixed starting point for limit tests, far from the epoch so that no test depends on times near zero.
public let start = Timestamp(secondsSinceEpoch: 1_700_000_000)

/// `start` plus some milliseconds.
public func at(milliseconds: Int64) -> Timestamp {
    start + .milliseconds(milliseconds)
}

/// `start` plus some seconds.
public func at(seconds: Int64) -> Timestamp {
    start + .seconds(seconds)
}

extension LimitVerdict {
    /// The reservation of an admitted call, so a test can `#require` it in one expression.
    public var reservation: ReservationID? {
        if case .admitted(let id) = self { return id }
        return nil
    }

    /// How long a refused call must wait, or nil when it was admitted.
    public var retryAfter: Duration? {
        if case .refused(_, let retryAfter) = self { return retryAfter }
        return nil
    }
}
