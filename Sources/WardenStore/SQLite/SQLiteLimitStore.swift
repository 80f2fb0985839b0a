import Foundation
import GRDB
public import WardenPolicy

/// Limits counted in memory and recorded in a SQLite file, so that they survive a restart: zero setup, one machine.
///
/// **Durability.** The in-memory ``LimitLedger`` is authoritative for decisions, so `reserve` is a memory operation,
/// atomic within the actor. `forwarded(_:at:)` writes the call's entries (one row per limit) in one transaction and
/// returns only once it committed; the proxy sends the call upstream after that. So:
/// - a crash can lose nothing that was forwarded (with ``Durability/processCrash``, a killed process; with
///   ``Durability/powerLoss``, a lost machine too);
/// - reservations that were never forwarded are not written: a crash while a call waits for approval loses a call
///   that never happened;
/// - a call forwarded but not yet settled when the process died counts after the restart, because the upstream may
///   have acted on it;
/// - `rollback` deletes the rows before the ledger forgets them. If a write fails, ``StoreError`` is thrown and the
///   ledger is left as it was: a failed `forwarded` leaves the call pending (not forwarded, so the proxy must not
///   send it), a failed `rollback` leaves it counted. A failure over-counts, never under-counts.
///
/// Each write also deletes the rows whose window has passed, and opening a store loads the remaining rows, so the file
/// holds about what the limits can still count. The file uses WAL mode.
///
/// **Several processes.** Limits are exact within one process. Processes that share the file each decide from their
/// own memory, which holds what was in the file when they opened it plus their own calls: the file is the shared
/// record (every process counts every call after a restart), not a live lock. Replicas that must share limits exactly
/// use the PostgreSQL store.
///
/// Calls for one reservation must come in order from one caller, as ``LimitStore`` says; the actor may interleave
/// other reservations with a write in flight, which is safe because a reservation being forwarded still counts.
public actor SQLiteLimitStore: LimitStore {
    /// The database file.
    public nonisolated let path: String
    private let database: DatabaseQueue
    private var ledger: LimitLedger
    /// The rows of forwarded calls that are not settled yet, to delete if they roll back.
    private var rowIDs: [ReservationID: [Int64]] = [:]

    /// Opens (or creates) the store at `path`, creating its directory if needed, and loads the entries that may count.
    public init(path: String, configuration: Configuration = Configuration()) throws(StoreError) {
        SQLiteStoreFile.openingLock.lock()
        defer { SQLiteStoreFile.openingLock.unlock() }
        try SQLiteStoreFile.checkNotEmptied(path)
        try Self.createDirectory(containing: path)
        var options = GRDB.Configuration()
        options.label = "warden.limits"
        options.journalMode = .wal
        let seconds = configuration.busyTimeout / .seconds(1)
        options.busyMode = BusyWait.mode(timeout: seconds)
        let synchronous = configuration.durability.synchronousPragma
        options.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = " + synchronous) }

        let database: DatabaseQueue
        do {
            database = try DatabaseQueue(path: path, configuration: options)
            try Self.migrator.migrate(database)
        } catch {
            throw SQLiteStoreFile.openingError(path, store: "limit store", error)
        }
        var ledger = LimitLedger()
        do {
            ledger.restore(try database.read(Self.loadEntries))
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the limit store: \(Self.reason(error))")
        }
        self.path = path
        self.database = database
        self.ledger = ledger
    }

    public func reserve(_ requests: [LimitRequest], at now: Timestamp) -> LimitVerdict {
        ledger.reserve(requests, at: now)
    }

    public func forwarded(_ id: ReservationID, at now: Timestamp) async throws {
        guard let entries = ledger.entries(forwarding: id, at: now) else { return }
        if !entries.isEmpty {
            let cutoff = now.millisecondsSinceEpoch
            rowIDs[id] = try await write(ifItFails: "cannot record the call before it is forwarded, so it must not be sent") { db in
                try db.execute(sql: "DELETE FROM limit_entry WHERE expires_at_ms <= ?", arguments: [cutoff])
                return try entries.map { entry in
                    try db.execute(
                        sql: "INSERT INTO limit_entry (key, time_ms, cost, window_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?)",
                        arguments: [
                            entry.key, entry.time.millisecondsSinceEpoch, entry.cost, entry.window.wholeMilliseconds,
                            entry.expiry.millisecondsSinceEpoch,
                        ]
                    )
                    return db.lastInsertedRowID
                }
            }
        }
        ledger.forwarded(id, at: now)
    }

    public func commit(_ id: ReservationID) async throws {
        if ledger.isPending(id) {
            try await forwarded(id, at: ledger.latestTime)
        }
        rowIDs[id] = nil
        ledger.commit(id)
    }

    public func rollback(_ id: ReservationID) async throws {
        if let rows = rowIDs[id] {
            try await write(ifItFails: "cannot remove a rolled-back call, so it still counts") { db in
                let placeholders = Array(repeating: "?", count: rows.count).joined(separator: ", ")
                try db.execute(sql: "DELETE FROM limit_entry WHERE id IN (\(placeholders))", arguments: StatementArguments(rows))
            }
            rowIDs[id] = nil
        }
        ledger.rollback(id)
    }

    /// How many entries the file holds, expired or not; for status reports and tests.
    public func storedEntryCount() throws(StoreError) -> Int {
        do {
            return try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM limit_entry") ?? 0 }
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the limit store: \(Self.reason(error))")
        }
    }

    /// A copy of the in-memory state, for inspection.
    public var snapshot: LimitLedger { ledger }

    /// Closes the file; the store cannot be used afterwards (every call throws).
    public func close() throws(StoreError) {
        do {
            try database.close()
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot close the limit store: \(Self.reason(error))")
        }
    }

    /// Runs one write transaction without blocking a thread, and without being cancelled with the calling task: a
    /// rollback made because the caller was cancelled must still happen.
    private func write<T: Sendable>(ifItFails failure: String, _ updates: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                database.asyncWrite(updates) { _, result in continuation.resume(with: result) }
            }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "\(failure): \(Self.reason(error))")
        }
    }

    private static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("limit entries v1") { db in
            try db.create(table: "limit_entry") { table in
                table.column("id", .integer).primaryKey()
                table.column("key", .text).notNull()
                table.column("time_ms", .integer).notNull()
                table.column("cost", .double).notNull()
                table.column("window_ms", .integer).notNull()
                table.column("expires_at_ms", .integer).notNull().indexed()
            }
        }
        return migrator
    }()

    @Sendable
    private static func loadEntries(_ db: Database) throws -> [LimitEntry] {
        try Row.fetchAll(db, sql: "SELECT key, time_ms, cost, window_ms FROM limit_entry").map { row in
            LimitEntry(
                key: row["key"],
                time: Timestamp(millisecondsSinceEpoch: row["time_ms"]),
                cost: row["cost"],
                window: .milliseconds(row["window_ms"] as Int64)
            )
        }
    }

    private static func createDirectory(containing path: String) throws(StoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try PrivateDirectory.create(directory) }
        } catch {
            throw StoreError(
                code: .cannotOpen,
                location: path,
                message: "cannot create the directory \(directory) for the limit store: \(reason(error))"
            )
        }
        do {
            try PrivateFile.prepare(path)
        } catch {
            throw StoreError(code: .cannotOpen, location: path, message: "cannot create the limit store file: \(reason(error))")
        }
    }

    /// The cause in a sentence, without SQL or arguments (which may hold tool-argument values).
    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "\(error.message ?? "SQLite error") (SQLite code \(error.extendedResultCode.rawValue))"
        }
        return error.localizedDescription
    }
}
