public import WardenPolicy
public import WardenStore

/// Waits for a person to decide a held call, by reading its record until it leaves `pending`.
///
/// Reading the store is what lets a decision made anywhere (another terminal, another process sharing the file)
/// reach the proxy holding the call. The clock and the sleep are parameters, so a test drives a whole wait, timeout
/// included, without any real time passing.
public struct ApprovalWaiter: Sendable {
    /// Recorded as the resolver when the waiter itself expires or withdraws an approval.
    public static let resolver = "warden"

    /// Returns the record once it is no longer pending.
    ///
    /// At `deadline` the waiter marks the record `expired`; when the task is cancelled (the client cancelled the
    /// request, or the session ended) it marks it `withdrawn`. Both go through the store's compare-and-set, so a person
    /// who decided a moment earlier still wins, and the record returned is always the one stored, never a guess.
    ///
    /// - Parameters:
    ///   - pollEvery: how often the store is read; a sleep never runs past the deadline.
    ///   - whilePending: called after each read that found the record still pending, with the time of that read, so
    ///     a caller can send progress notifications without a second loop.
    /// - Throws: the store's error when it cannot be read or written, or when the record is gone from it; the caller
    ///   refuses the call (fail closed).
    public static func wait(
        for id: String,
        in store: any ApprovalStore,
        until deadline: Timestamp,
        pollEvery interval: Duration = .milliseconds(200),
        now: () -> Timestamp,
        sleep: (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        whilePending: (ApprovalRecord, Timestamp) -> Void = { _, _ in }
    ) async throws(StoreError) -> ApprovalRecord {
        while true {
            let record = try current(id, in: store)
            guard record.state == .pending else { return record }
            let time = now()
            if Task.isCancelled {
                return try settle(id, as: .withdrawn, reason: "the client cancelled the call", at: time, in: store)
            }
            if time >= deadline {
                return try settle(id, as: .expired, reason: "timed out", at: time, in: store)
            }
            whilePending(record, time)
            do {
                try await sleep(min(interval, deadline - time))
            } catch {
                // A sleep ends early only when the task is cancelled; the next turn reads the record and withdraws it.
            }
        }
    }

    private static func current(_ id: String, in store: any ApprovalStore) throws(StoreError) -> ApprovalRecord {
        guard let record = try store.get(id: id) else {
            throw StoreError(code: .cannotRead, location: "", message: "approval \(id) is no longer in the store")
        }
        return record
    }

    private static func settle(
        _ id: String,
        as state: ApprovalState,
        reason: String,
        at time: Timestamp,
        in store: any ApprovalStore
    ) throws(StoreError) -> ApprovalRecord {
        guard let record = try store.resolve(id: id, to: state, by: resolver, reason: reason, at: time) else {
            throw StoreError(code: .cannotRead, location: "", message: "approval \(id) is no longer in the store")
        }
        return record
    }
}
