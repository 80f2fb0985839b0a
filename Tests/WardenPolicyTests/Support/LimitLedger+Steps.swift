import WardenPolicy

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
