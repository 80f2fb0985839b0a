import WardenPolicy

/// An arbitrary, fixed starting point, far from the epoch so that no test depends on times near zero.
let start = Timestamp(secondsSinceEpoch: 1_700_000_000)

/// `start` plus some milliseconds.
func at(milliseconds: Int64) -> Timestamp {
    start + .milliseconds(milliseconds)
}

/// `start` plus some seconds.
func at(seconds: Int64) -> Timestamp {
    start + .seconds(seconds)
}

extension LimitLedger {
    /// Reserves, forwards and commits a call at `now`, as the proxy does for a call that gets a result.
    @discardableResult
    mutating func complete(_ requests: [LimitRequest], at now: Timestamp) -> LimitVerdict {
        let verdict = reserve(requests, at: now)
        if case .admitted(let id) = verdict {
            forwarded(id, at: now)
            commit(id)
        }
        return verdict
    }

    /// Whether the call would be admitted at `now`, without changing this ledger.
    func wouldAdmit(_ requests: [LimitRequest], at now: Timestamp) -> Bool {
        var copy = self
        return copy.reserve(requests, at: now).isAdmitted
    }
}

extension LimitVerdict {
    var reservation: ReservationID? {
        if case .admitted(let id) = self { return id }
        return nil
    }

    var retryAfter: Duration? {
        if case .refused(_, let retryAfter) = self { return retryAfter }
        return nil
    }
}
