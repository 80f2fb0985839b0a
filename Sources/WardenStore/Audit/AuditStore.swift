public import WardenPolicy

/// Where decisions are recorded.
///
/// Synchronous on purpose: the proxy calls ``append(_:)`` on its event loop right before it forwards or refuses the
/// call, and acts only once the record is committed, so a proxy killed the moment after has lost nothing it decided.
/// One append is a small local write (tens of microseconds with SQLite in WAL mode), cheaper than a hop to a thread.
public protocol AuditStore: Sendable {
    /// Commits `record` (its `id` is ignored) and returns the id it was given; durable when it returns.
    func append(_ record: AuditRecord) throws(StoreError) -> Int64
    /// Adds what came of a forwarded call; an unknown id (pruned meanwhile) is not an error.
    func recordOutcome(id: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?) throws(StoreError)
    /// Matching records, oldest first.
    func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord]
    /// Deletes records older than `time` (retention); returns how many.
    func prune(before time: Timestamp) throws(StoreError) -> Int
    /// Counts by decision and the top denying rules since `time`.
    func summary(since time: Timestamp) throws(StoreError) -> AuditSummary
}
