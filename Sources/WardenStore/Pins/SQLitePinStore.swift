import Foundation
import GRDB
public import WardenPolicy

/// Pins in the SQLite file the other stores use: every proxy on that file trusts the same definitions, and
/// `warden pins accept` in another terminal releases a held tool for all of them.
public final class SQLitePinStore: PinStore {
    public let path: String
    private let database: DatabaseQueue

    public init(path: String, busyTimeout: Double = 5) throws(StoreError) {
        self.path = path
        do {
            database = try SharedDatabase.open(
                path: path,
                label: "warden.pins",
                busyTimeout: busyTimeout,
                schema: """
                    CREATE TABLE IF NOT EXISTS tool_pin (
                        server TEXT NOT NULL, tool TEXT NOT NULL, trusted_fingerprint TEXT, trusted_definition TEXT,
                        pending_fingerprint TEXT, pending_definition TEXT, first_seen_ms INTEGER NOT NULL, changed_at_ms INTEGER,
                        accepted_by TEXT, accepted_at_ms INTEGER, PRIMARY KEY (server, tool));
                    """
            )
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteStoreFile.openingError(path, store: "pin store", error)
        }
    }

    public func observe(server: String, tools: [PinObservation], holdNew: Bool, at time: Timestamp) throws(StoreError)
        -> [PinVerdict]
    {
        try transaction { db in
            var verdicts: [PinVerdict] = []
            for observation in tools {
                let existing = try Self.fetch(db, server: server, tool: observation.tool)
                let (record, verdict) = PinRecord.observing(observation, server: server, existing: existing, holdNew: holdNew, at: time)
                if record != existing { try Self.save(db, record) }
                verdicts.append(verdict)
            }
            return verdicts
        }
    }

    public func list(server: String?) throws(StoreError) -> [PinRecord] {
        do {
            return try database.read { db in
                guard let server else {
                    return try Row.fetchAll(db, sql: "SELECT * FROM tool_pin ORDER BY server, tool").map(Self.record)
                }
                return try Row.fetchAll(db, sql: "SELECT * FROM tool_pin WHERE server = ? ORDER BY tool", arguments: [server]).map(Self.record)
            }
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the pin store: \(error)")
        }
    }

    public func get(server: String, tool: String) throws(StoreError) -> PinRecord? {
        do {
            return try database.read { db in try Self.fetch(db, server: server, tool: tool) }
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the pin store: \(error)")
        }
    }

    public func accept(server: String, tool: String, by person: String, at time: Timestamp) throws(StoreError) -> PinRecord? {
        try transaction { db in
            guard let accepted = try Self.fetch(db, server: server, tool: tool)?.accepted(by: person, at: time) else { return nil }
            try Self.save(db, accepted)
            return accepted
        }
    }

    public func acceptAll(server: String, by person: String, at time: Timestamp) throws(StoreError) -> [PinRecord] {
        try transaction { db in
            let held = try Row.fetchAll(
                db,
                sql: "SELECT * FROM tool_pin WHERE server = ? AND pending_fingerprint IS NOT NULL ORDER BY tool",
                arguments: [server]
            ).map(Self.record)
            let accepted = held.compactMap { $0.accepted(by: person, at: time) }
            for record in accepted { try Self.save(db, record) }
            return accepted
        }
    }

    /// Runs `body` in an immediate transaction: it takes the write lock before reading, so two proxies observing
    /// the same server at once wait for each other instead of one failing on a stale read.
    private func transaction<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError(code: .cannotWrite, location: path, message: "the transaction returned nothing") }
                return result
            }
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the pin store: \(error)")
        }
    }

    private static func fetch(_ db: Database, server: String, tool: String) throws -> PinRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM tool_pin WHERE server = ? AND tool = ?", arguments: [server, tool]).map(record)
    }

    private static func save(_ db: Database, _ record: PinRecord) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO tool_pin (server, tool, trusted_fingerprint, trusted_definition, pending_fingerprint,
                    pending_definition, first_seen_ms, changed_at_ms, accepted_by, accepted_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.server, record.tool, record.trustedFingerprint, record.trustedDefinition, record.pendingFingerprint,
                record.pendingDefinition, record.firstSeen.millisecondsSinceEpoch, record.changedAt?.millisecondsSinceEpoch,
                record.acceptedBy, record.acceptedAt?.millisecondsSinceEpoch,
            ]
        )
    }

    private static func record(_ row: Row) -> PinRecord {
        func time(_ column: String) -> Timestamp? { (row[column] as Int64?).map { Timestamp(millisecondsSinceEpoch: $0) } }
        return PinRecord(
            server: row["server"],
            tool: row["tool"],
            trustedFingerprint: row["trusted_fingerprint"],
            trustedDefinition: row["trusted_definition"],
            pendingFingerprint: row["pending_fingerprint"],
            pendingDefinition: row["pending_definition"],
            firstSeen: time("first_seen_ms") ?? Timestamp(millisecondsSinceEpoch: 0),
            changedAt: time("changed_at_ms"),
            acceptedBy: row["accepted_by"],
            acceptedAt: time("accepted_at_ms")
        )
    }
}
