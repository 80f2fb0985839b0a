public import WardenPolicy

/// Where held calls are written and resolved; shared by the proxy holding a call and whoever decides it.
///
/// Synchronous: every operation is one small SQLite statement, and callers run it off the event loop.
public protocol ApprovalStore: Sendable {
    func create(_ record: ApprovalRecord) throws(StoreError)
    func get(id: String) throws(StoreError) -> ApprovalRecord?
    /// Records in the given states (all when nil), newest first.
    func list(states: [ApprovalState]?, limit: Int?) throws(StoreError) -> [ApprovalRecord]
    /// Moves a pending record to `state`; a record that is no longer pending stays as it is (compare-and-set, so
    /// two people deciding at once cannot both win). Returns the record as stored afterwards, nil if unknown: the
    /// caller won when that record carries its own `by` and `at`.
    func resolve(id: String, to state: ApprovalState, by: String?, reason: String?, at time: Timestamp) throws(StoreError) -> ApprovalRecord?
    /// Marks expired every pending record past its expiry or whose owning proxy is gone: after a restart the agent's
    /// request is gone, and the record says so instead of vanishing. Returns how many changed.
    func expireOrphans(at time: Timestamp, isOwnerAlive: (String) -> Bool) throws(StoreError) -> Int
    /// Returns when the record `id` may have changed, or once `duration` has passed: a store that hears of decisions
    /// made elsewhere (PostgreSQL's NOTIFY) wakes its waiter early; the others just sleep. Throws when the task is
    /// cancelled.
    func waitForChange(of id: String, upTo duration: Duration) async throws
}

extension ApprovalStore {
    public func waitForChange(of id: String, upTo duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
