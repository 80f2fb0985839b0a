/// A database the audit journal's mover writes into: SQLite on one machine, PostgreSQL for a fleet.
///
/// The mover hands it batches of journal entries with the position read up to, in one transaction each, so a
/// journal is moved exactly once whichever process finishes it.
public protocol AuditJournalDestination: AuditStore {
    /// Writes `entries` and records that `journal` is read up to `readTo`, atomically. `rows` maps the journal's
    /// handles to the rows written, for outcomes that arrive in a later batch.
    func ingest(_ entries: [AuditJournalEntry], journal: String, readTo: Int, rows: inout [UInt64: Int64]) throws(StoreError)
    /// How far `journal` was moved before (0 when never).
    func journalReadTo(_ journal: String) throws(StoreError) -> Int
    /// Forgets a journal that is gone.
    func forgetJournal(_ journal: String) throws(StoreError)
}

extension SQLiteAuditStore: AuditJournalDestination {}
