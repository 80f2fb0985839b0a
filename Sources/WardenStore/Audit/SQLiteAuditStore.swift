import Foundation
import GRDB
public import WardenPolicy

/// The audit trail in the SQLite file the other stores use, in WAL mode.
///
/// **Durability.** Each ``append(_:)`` is one committed transaction. With WAL and `synchronous = NORMAL` a commit
/// is in the operating system's hands when it returns, so a proxy killed the moment after (SIGKILL, a crash) loses
/// nothing; a power loss may lose the last commits before a checkpoint, which is the trade the limit store's default
/// makes too. Pass `synchronous: "FULL"` to survive that as well, at the price of an fsync per decision.
///
/// **Several connections.** The proxy, `warden audit` and `warden status` each open their own connection to the
/// file, next to the limit and approval stores' connections; the busy timeout makes a writer wait for another
/// rather than fail, and WAL lets readers run while a proxy writes.
public final class SQLiteAuditStore: AuditStore {
    /// The database file.
    public let path: String
    private let database: DatabaseQueue

    static let schema = """
        CREATE TABLE IF NOT EXISTS audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, agent_id TEXT, session_id TEXT NOT NULL,
            client_name TEXT, client_version TEXT, protocol_revision TEXT, server TEXT, tool TEXT NOT NULL,
            request_id TEXT, decision TEXT NOT NULL, rule TEXT, reason TEXT, arguments_digest TEXT, arguments TEXT,
            outcome TEXT, decision_us INTEGER, upstream_us INTEGER);
        CREATE INDEX IF NOT EXISTS audit_by_time ON audit(time_ms);
        CREATE INDEX IF NOT EXISTS audit_by_tool ON audit(tool, time_ms);
        CREATE INDEX IF NOT EXISTS audit_by_agent ON audit(agent_id, time_ms);
        CREATE INDEX IF NOT EXISTS audit_by_decision ON audit(decision, time_ms);
        CREATE INDEX IF NOT EXISTS audit_by_rule ON audit(rule, time_ms);
        CREATE TABLE IF NOT EXISTS audit_journal (name TEXT PRIMARY KEY, read_to INTEGER NOT NULL);
        """

    /// Opens (or creates) the trail at `path`, creating its directory and table when missing.
    ///
    /// - Parameters:
    ///   - busyTimeout: how long, in seconds, a write waits for another connection's write before failing.
    ///   - synchronous: SQLite's `synchronous` pragma; `NORMAL` survives a killed process, `FULL` a power loss.
    public init(path: String, busyTimeout: Double = 5, synchronous: String = "NORMAL") throws(StoreError) {
        self.path = path
        do {
            database = try SharedDatabase.open(
                path: path,
                label: "warden.audit",
                busyTimeout: busyTimeout,
                synchronous: synchronous,
                schema: Self.schema
            )
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteStoreFile.openingError(path, store: "audit store", error)
        }
    }

    public func append(_ record: AuditRecord) throws(StoreError) -> Int64 {
        do {
            // One statement commits on its own (autocommit), as atomically as inside BEGIN and COMMIT, and without
            // their two extra statements per call.
            return try database.writeWithoutTransaction { db in try Self.insert(record, into: db) }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the audit trail: \(error)")
        }
    }

    public func recordOutcome(id: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?) throws(StoreError) {
        do {
            try database.writeWithoutTransaction { db in
                try Self.update(row: id, outcome: outcome, upstreamMicroseconds: upstreamMicroseconds, in: db)
            }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the audit trail: \(error)")
        }
    }

    /// Inserts `record` and returns its row id. A cached statement: parsed once per connection, not once per call.
    private static func insert(_ record: AuditRecord, into db: Database) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO audit (time_ms, agent_id, session_id, client_name, client_version, protocol_revision, server,
                    tool, request_id, decision, rule, reason, arguments_digest, arguments, outcome, decision_us, upstream_us)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                record.time.millisecondsSinceEpoch, record.agentID, record.sessionID, record.clientName, record.clientVersion,
                record.protocolRevision, record.server, record.tool, record.requestID, record.decision.description,
                record.rule, record.reason, record.argumentsDigest, record.arguments, record.outcome?.description,
                record.decisionMicroseconds, record.upstreamMicroseconds,
            ]
        )
        return db.lastInsertedRowID
    }

    private static func update(row: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE audit SET outcome = ?, upstream_us = ? WHERE id = ?")
            .execute(arguments: [outcome.description, upstreamMicroseconds, row])
    }

    // MARK: Journals

    /// Moves journal entries into the table in one transaction, and notes that `journal` has been read up to
    /// `readTo`, so entries are never moved twice. `rows` maps decision handles to row ids for outcomes that follow;
    /// an outcome whose handle is not there (a journal read back after a crash) finds its record by session and
    /// request id instead.
    public func ingest(_ entries: [AuditJournalEntry], journal: String, readTo: Int, rows: inout [UInt64: Int64]) throws(StoreError) {
        do {
            rows = try database.write { [rows] db in
                var rows = rows
                for entry in entries {
                    switch entry {
                    case .decision(let handle, let record):
                        rows[handle] = try Self.insert(record, into: db)
                    case .outcome(let handle, let sessionID, let requestID, let outcome, let micros):
                        if let row = rows.removeValue(forKey: handle) {
                            try Self.update(row: row, outcome: outcome, upstreamMicroseconds: micros, in: db)
                        } else {
                            try db.cachedStatement(
                                sql: """
                                    UPDATE audit SET outcome = ?, upstream_us = ? WHERE id = (SELECT id FROM audit
                                        WHERE session_id = ? AND request_id IS ? AND outcome IS NULL ORDER BY id DESC LIMIT 1)
                                    """
                            ).execute(arguments: [outcome.description, micros, sessionID, requestID])
                        }
                    }
                }
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO audit_journal (name, read_to) VALUES (?, ?)")
                    .execute(arguments: [journal, readTo])
                return rows
            }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the audit trail: \(error)")
        }
        truncateLog()
    }

    /// Copies the write-ahead log into the database file and empties it, after every batch the mover commits.
    ///
    /// SQLite checkpoints on its own only once the log reaches about 4 MB, and each small batch adds a few pages
    /// (tens of KB) to it: on a small disk the log, not the trail, filled it. A checkpoint that cannot finish (a
    /// reader holds an old snapshot, the disk is full) is left for the next batch; the records are committed either way.
    func truncateLog() {
        _ = try? database.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// How far `journal` has been moved into the table (0 for a journal never read).
    public func journalReadTo(_ journal: String) throws(StoreError) -> Int {
        do {
            return try database.read { db in
                try Int.fetchOne(db, sql: "SELECT read_to FROM audit_journal WHERE name = ?", arguments: [journal]) ?? 0
            }
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the audit trail: \(error)")
        }
    }

    /// Forgets a journal whose file is gone.
    public func forgetJournal(_ journal: String) throws(StoreError) {
        do {
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "DELETE FROM audit_journal WHERE name = ?", arguments: [journal])
            }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the audit trail: \(error)")
        }
    }

    public func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] {
        let (condition, arguments) = Self.whereClause(filter)
        // The newest `limit` matching records, returned oldest first.
        var sql = "SELECT * FROM audit" + condition + " ORDER BY id DESC"
        if let limit = filter.limit { sql += " LIMIT \(max(limit, 0))" }
        do {
            return try database.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).reversed().map(Self.record)
            }
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the audit trail: \(error)")
        }
    }

    public func prune(before time: Timestamp) throws(StoreError) -> Int {
        do {
            return try database.write { db in
                try db.execute(sql: "DELETE FROM audit WHERE time_ms < ?", arguments: [time.millisecondsSinceEpoch])
                return db.changesCount
            }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot prune the audit trail: \(error)")
        }
    }

    public func summary(since time: Timestamp) throws(StoreError) -> AuditSummary {
        let refusals = AuditDecision.all.filter(\.isRefusal).map(\.description)
        do {
            return try database.read { db in
                let since = time.millisecondsSinceEpoch
                var summary = AuditSummary(since: time)
                for row in try Row.fetchAll(
                    db,
                    sql: "SELECT decision, COUNT(*) AS n FROM audit WHERE time_ms >= ? GROUP BY decision",
                    arguments: [since]
                ) {
                    let count: Int = row["n"]
                    summary.byDecision[AuditDecision(stored: row["decision"]), default: 0] += count
                    summary.total += count
                }
                summary.topDenyingRules = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT rule, COUNT(*) AS n FROM audit
                        WHERE time_ms >= ? AND rule IS NOT NULL AND decision IN (\(refusals.map { _ in "?" }.joined(separator: ", ")))
                        GROUP BY rule ORDER BY n DESC, rule ASC LIMIT \(AuditSummary.topRuleCount)
                        """,
                    arguments: StatementArguments([since] + refusals.map { $0 as any DatabaseValueConvertible })
                ).map { AuditSummary.RuleCount(rule: $0["rule"], count: $0["n"]) }
                return summary
            }
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the audit trail: \(error)")
        }
    }

    /// The SQL condition for a filter; each field has an index that leads with it (or with the time).
    private static func whereClause(_ filter: AuditFilter) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let since = filter.since {
            clauses.append("time_ms >= ?")
            arguments.append(since.millisecondsSinceEpoch)
        }
        if let until = filter.until {
            clauses.append("time_ms <= ?")
            arguments.append(until.millisecondsSinceEpoch)
        }
        let equalities: [(String, String?)] = [
            ("agent_id", filter.agentID), ("tool", filter.tool), ("decision", filter.decision?.description), ("rule", filter.rule),
        ]
        for case (let column, let value?) in equalities {
            clauses.append("\(column) = ?")
            arguments.append(value)
        }
        if let afterID = filter.afterID {
            clauses.append("id > ?")
            arguments.append(afterID)
        }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), StatementArguments(arguments))
    }

    private static func record(_ row: Row) -> AuditRecord {
        AuditRecord(
            id: row["id"],
            time: Timestamp(millisecondsSinceEpoch: row["time_ms"]),
            agentID: row["agent_id"],
            sessionID: row["session_id"],
            clientName: row["client_name"],
            clientVersion: row["client_version"],
            protocolRevision: row["protocol_revision"],
            server: row["server"],
            tool: row["tool"],
            requestID: row["request_id"],
            decision: AuditDecision(stored: row["decision"]),
            rule: row["rule"],
            reason: row["reason"],
            argumentsDigest: row["arguments_digest"],
            arguments: row["arguments"],
            outcome: (row["outcome"] as String?).map(AuditOutcome.init(stored:)),
            decisionMicroseconds: row["decision_us"],
            upstreamMicroseconds: row["upstream_us"]
        )
    }
}
