import Foundation
import GRDB
import WardenJSON
public import WardenPolicy

/// Approvals in the SQLite file the other stores use: the proxy that holds a call writes and polls its record,
/// and `warden approvals` in another terminal resolves it.
public final class SQLiteApprovalStore: ApprovalStore {
    public let path: String
    private let database: DatabaseQueue

    public init(path: String, busyTimeout: Double = 5) throws(StoreError) {
        self.path = path
        do {
            database = try SharedDatabase.open(
                path: path,
                label: "warden.approvals",
                busyTimeout: busyTimeout,
                schema: """
                    CREATE TABLE IF NOT EXISTS approval (
                        id TEXT PRIMARY KEY, created_at_ms INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL,
                        agent_id TEXT, session_id TEXT NOT NULL, server TEXT, tool TEXT NOT NULL, arguments TEXT,
                        arguments_digest TEXT, rule TEXT, reason TEXT, state TEXT NOT NULL, resolved_at_ms INTEGER,
                        resolved_by TEXT, resolution_reason TEXT, owner_instance TEXT, approvers TEXT);
                    CREATE INDEX IF NOT EXISTS approval_by_state ON approval(state, created_at_ms);
                    """
            )
            // A file made before approvers were recorded gains the column. Looked at first with a read, so a store on
            // a full disk can still be listed.
            if try database.read({ db in try !db.columns(in: "approval").contains(where: { $0.name == "approvers" }) }) {
                try database.write { db in
                    if try !db.columns(in: "approval").contains(where: { $0.name == "approvers" }) {
                        try db.execute(sql: "ALTER TABLE approval ADD COLUMN approvers TEXT")
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteStoreFile.openingError(path, store: "approval store", error)
        }
    }

    public func create(_ record: ApprovalRecord) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO approval (id, created_at_ms, expires_at_ms, agent_id, session_id, server, tool, arguments,
                        arguments_digest, rule, reason, state, resolved_at_ms, resolved_by, resolution_reason, owner_instance,
                        approvers)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id, record.createdAt.millisecondsSinceEpoch, record.expiresAt.millisecondsSinceEpoch, record.agentID,
                    record.sessionID, record.server, record.tool, record.arguments, record.argumentsDigest, record.rule,
                    record.reason, record.state.description, record.resolvedAt?.millisecondsSinceEpoch, record.resolvedBy,
                    record.resolutionReason, record.ownerInstance,
                    record.approvers.isEmpty ? nil : JSONValue.array(record.approvers.map { .string($0) }).encodedString,
                ]
            )
        }
    }

    public func get(id: String) throws(StoreError) -> ApprovalRecord? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM approval WHERE id = ?", arguments: [id]).map(Self.record) }
    }

    public func list(states: [ApprovalState]?, limit: Int?) throws(StoreError) -> [ApprovalRecord] {
        try read { db in
            var sql = "SELECT * FROM approval"
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let states {
                sql += " WHERE state IN (\(states.map { _ in "?" }.joined(separator: ",")))"
                arguments += states.map { $0.description }
            }
            sql += " ORDER BY created_at_ms DESC"
            if let limit {
                sql += " LIMIT ?"
                arguments.append(limit)
            }
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.record)
        }
    }

    public func resolve(id: String, to state: ApprovalState, by: String?, reason: String?, at time: Timestamp) throws(StoreError)
        -> ApprovalRecord?
    {
        try write { db in
            // Only a pending record changes, and never back to pending: the condition makes this a compare-and-set.
            if state != .pending {
                try db.execute(
                    sql: """
                        UPDATE approval SET state = ?, resolved_at_ms = ?, resolved_by = ?, resolution_reason = ?
                        WHERE id = ? AND state = 'pending'
                        """,
                    arguments: [state.description, time.millisecondsSinceEpoch, by, reason, id]
                )
            }
            return try Row.fetchOne(db, sql: "SELECT * FROM approval WHERE id = ?", arguments: [id]).map(Self.record)
        }
    }

    public func expireOrphans(at time: Timestamp, isOwnerAlive: (String) -> Bool) throws(StoreError) -> Int {
        try write { db in
            let pending = try Row.fetchAll(db, sql: "SELECT * FROM approval WHERE state = 'pending'").map(Self.record)
            var count = 0
            for record in pending {
                guard let reason = ApprovalRecord.orphanReason(record, at: time, isOwnerAlive: isOwnerAlive) else { continue }
                try db.execute(
                    sql: """
                        UPDATE approval SET state = 'expired', resolved_at_ms = ?, resolved_by = 'warden', resolution_reason = ?
                        WHERE id = ? AND state = 'pending'
                        """,
                    arguments: [time.millisecondsSinceEpoch, reason, record.id]
                )
                count += db.changesCount
            }
            return count
        }
    }

    private static func record(_ row: Row) -> ApprovalRecord {
        func time(_ column: String) -> Timestamp? { (row[column] as Int64?).map { Timestamp(millisecondsSinceEpoch: $0) } }
        return ApprovalRecord(
            id: row["id"],
            createdAt: time("created_at_ms") ?? Timestamp(millisecondsSinceEpoch: 0),
            expiresAt: time("expires_at_ms") ?? Timestamp(millisecondsSinceEpoch: 0),
            agentID: row["agent_id"],
            sessionID: row["session_id"],
            server: row["server"],
            tool: row["tool"],
            arguments: row["arguments"],
            argumentsDigest: row["arguments_digest"],
            rule: row["rule"],
            reason: row["reason"],
            state: ApprovalState(name: row["state"]) ?? .expired,
            resolvedAt: time("resolved_at_ms"),
            resolvedBy: row["resolved_by"],
            resolutionReason: row["resolution_reason"],
            ownerInstance: row["owner_instance"],
            approvers: (row["approvers"] as String?).flatMap { try? JSONParser.parse($0) }?.arrayValue?.compactMap(\.stringValue) ?? []
        )
    }

    private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the approval store: \(error)")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the approval store: \(error)")
        }
    }
}
