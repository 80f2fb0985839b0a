public import WardenPolicy

/// Limits counted in this process's memory only: exact and fast, forgotten on exit.
///
/// For tests, demos and `--store memory:`. The actor makes each ledger operation atomic, so concurrent calls cannot
/// overshoot a limit.
public actor MemoryLimitStore: LimitStore {
    private var ledger: LimitLedger

    public init(ledger: LimitLedger = LimitLedger()) {
        self.ledger = ledger
    }

    public func reserve(_ requests: [LimitRequest], at now: Timestamp) -> LimitVerdict {
        ledger.reserve(requests, at: now)
    }

    public func forwarded(_ id: ReservationID, at now: Timestamp) {
        ledger.forwarded(id, at: now)
    }

    public func commit(_ id: ReservationID) {
        ledger.commit(id)
    }

    public func rollback(_ id: ReservationID) {
        ledger.rollback(id)
    }

    /// A copy of the current state, for inspection.
    public var snapshot: LimitLedger { ledger }
}
