public import WardenPolicy
public import WardenStore

/// The audit store, opened on first use (see `RetryingOpener`); a write it cannot make fails the call closed.
public final class LazyAuditStore: AuditStore {
    private let store: RetryingOpener<any AuditStore>

    public init(open: @escaping @Sendable () throws(StoreError) -> any AuditStore) {
        store = RetryingOpener(open)
    }

    public func append(_ record: AuditRecord) throws(StoreError) -> Int64 { try store.get().append(record) }

    public func recordOutcome(id: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?) throws(StoreError) {
        try store.get().recordOutcome(id: id, outcome: outcome, upstreamMicroseconds: upstreamMicroseconds)
    }

    public func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] { try store.get().query(filter) }

    public func prune(before time: Timestamp) throws(StoreError) -> Int { try store.get().prune(before: time) }

    public func summary(since time: Timestamp) throws(StoreError) -> AuditSummary { try store.get().summary(since: time) }

    /// Closes the store if it was opened; one never used stays unopened.
    public func close() { store.opened?.close() }
}
