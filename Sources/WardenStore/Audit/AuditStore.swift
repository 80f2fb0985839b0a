public import WardenPolicy

/// Where decisions are recorded.
///
/// Synchronous on purpose: the proxy calls ``append(_:)`` on its event loop right before it forwards or refuses the
/// call, and acts only once the record is committed, so a proxy killed the moment after has lost nothing it decided.
/// One append is a small local write (one `write` to a journal with SQLite, see ``JournaledAuditStore``), cheaper
/// than a hop to a thread.
public protocol AuditStore: Sendable {
    /// Commits `record` (its `id` is ignored); durable when it returns. Returns what names the record to
    /// ``recordOutcome(id:outcome:upstreamMicroseconds:)``: the id it was given, or for ``JournaledAuditStore``,
    /// which gives ids only when it moves records into the database, a number of its own.
    func append(_ record: AuditRecord) throws(StoreError) -> Int64
    /// Adds what came of a forwarded call; an unknown id (pruned meanwhile) is not an error.
    func recordOutcome(id: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?) throws(StoreError)
    /// Matching records, oldest first.
    func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord]
    /// Deletes records older than `time` (retention); returns how many.
    func prune(before time: Timestamp) throws(StoreError) -> Int
    /// Counts by decision and the top denying rules since `time`.
    func summary(since time: Timestamp) throws(StoreError) -> AuditSummary
    /// Finishes what is still being written and stops background work; called once, as the process ends.
    func close()
}

extension AuditStore {
    public func close() {}
}
