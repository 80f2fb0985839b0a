import Foundation
import GRDB
import Synchronization
public import WardenPolicy

/// The audit trail in the SQLite file the other stores use, in WAL mode: a committed record survives the proxy
/// being killed the moment after.
public final class SQLiteAuditStore: AuditStore {
    public let path: String
    private let database: DatabaseQueue

    public init(path: String, busyTimeout: Double = 5) throws(StoreError) {
        self.path = path
        do {
            database = try SharedDatabase.open(
                path: path,
                label: "warden.audit",
                busyTimeout: busyTimeout,
                synchronous: "NORMAL",
                schema: """
                        CREATE TABLE IF NOT EXISTS audit (
                            id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, agent_id TEXT, session_id TEXT NOT NULL,
                            client_name TEXT, client_version TEXT, protocol_revision TEXT, server TEXT, tool TEXT NOT NULL,
                            request_id TEXT, decision TEXT NOT NULL, rule TEXT, reason TEXT, arguments_digest TEXT, arguments TEXT,
                            outcome TEXT, decision_us INTEGER, upstream_us INTEGER);
                        CREATE INDEX IF NOT EXISTS audit_by_time ON audit(time_ms);
                        CREATE INDEX IF NOT EXISTS audit_by_tool ON audit(tool, time_ms);
                        CREATE INDEX IF NOT EXISTS audit_by_agent ON audit(agent_id, time_ms);
                        """
            )
        } catch {
            throw StoreError(code: .cannotOpen, location: path, message: "cannot open the audit store: \(error)")
        }
    }

    public func append(_ record: AuditRecord) throws(StoreError) -> Int64 {
        do {
            return try database.write { db in
                // A cached statement: the insert is parsed once per connection, not once per call.
                try db.cachedStatement(
                    sql: """
                        INSERT INTO audit (time_ms, agent_id, session_id, client_name, client_version, protocol_revision, server,
                            tool, request_id, decision, rule, reason, arguments_digest, arguments, outcome, decision_us, upstream_us)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        record.time.millisecondsSinceEpoch, record.agentID, record.sessionID, record.clientName, record.clientVersion,
                        record.protocolRevision, record.server, record.tool, record.requestID, record.decision, record.rule,
                        record.reason, record.argumentsDigest, record.arguments, record.outcome, record.decisionMicroseconds,
                        record.upstreamMicroseconds,
                    ]
                )
                return db.lastInsertedRowID
            }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the audit trail: \(error)")
        }
    }

    public func recordOutcome(id: Int64, outcome: String, upstreamMicroseconds: Int?) throws(StoreError) {
        do {
            try database.write { db in
                try db.cachedStatement(sql: "UPDATE audit SET outcome = ?, upstream_us = ? WHERE id = ?")
                    .execute(arguments: [outcome, upstreamMicroseconds, id])
            }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the audit trail: \(error)")
        }
    }

    public func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] {
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
        for (column, value) in [("agent_id", filter.agentID), ("tool", filter.tool), ("decision", filter.decision), ("rule", filter.rule)] {
            guard let value else { continue }
            clauses.append("\(column) = ?")
            arguments.append(value)
        }
        if let afterID = filter.afterID {
            clauses.append("id > ?")
            arguments.append(afterID)
        }
        var sql = "SELECT * FROM audit"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        // The newest `limit` records, returned oldest first.
        sql = "SELECT * FROM (\(sql) ORDER BY id DESC" + (filter.limit.map { " LIMIT \($0)" } ?? "") + ") ORDER BY id ASC"
        do {
            return try database.read { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.record)
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
            decision: row["decision"],
            rule: row["rule"],
            reason: row["reason"],
            argumentsDigest: row["arguments_digest"],
            arguments: row["arguments"],
            outcome: row["outcome"],
            decisionMicroseconds: row["decision_us"],
            upstreamMicroseconds: row["upstream_us"]
        )
    }
}

/// The audit trail in memory: for tests and `--store memory:`.
public final class MemoryAuditStore: AuditStore {
    private let records = Mutex<[AuditRecord]>([])

    public init() {}

    public func append(_ record: AuditRecord) throws(StoreError) -> Int64 {
        records.withLock { records in
            var stored = record
            stored.id = Int64(records.count + 1)
            records.append(stored)
            return stored.id!
        }
    }

    public func recordOutcome(id: Int64, outcome: String, upstreamMicroseconds: Int?) throws(StoreError) {
        records.withLock { records in
            guard let index = records.firstIndex(where: { $0.id == id }) else { return }
            records[index].outcome = outcome
            records[index].upstreamMicroseconds = upstreamMicroseconds
        }
    }

    public func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] {
        let matching = records.withLock { $0 }.filter { record in
            if let since = filter.since, record.time < since { return false }
            if let until = filter.until, record.time > until { return false }
            if let agent = filter.agentID, record.agentID != agent { return false }
            if let tool = filter.tool, record.tool != tool { return false }
            if let decision = filter.decision, record.decision != decision { return false }
            if let rule = filter.rule, record.rule != rule { return false }
            if let afterID = filter.afterID, (record.id ?? 0) <= afterID { return false }
            return true
        }
        return filter.limit.map { Array(matching.suffix($0)) } ?? matching
    }

    public func prune(before time: Timestamp) throws(StoreError) -> Int {
        records.withLock { records in
            let before = records.count
            records.removeAll { $0.time < time }
            return before - records.count
        }
    }
}

extension StoreDSN {
    /// The audit store this DSN names.
    public func makeAuditStore() throws(StoreError) -> any AuditStore {
        switch kind {
        case .memory: return MemoryAuditStore()
        case .sqlite: return try SQLiteAuditStore(path: location)
        default:
            throw StoreError(
                code: .unavailable,
                location: description,
                message: "the postgres store is not available yet; use `sqlite:PATH` (the default) or `memory:`"
            )
        }
    }
}
