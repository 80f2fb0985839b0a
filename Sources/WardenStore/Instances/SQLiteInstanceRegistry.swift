import Foundation
import GRDB
public import WardenPolicy

/// Running instances in the shared SQLite file, so `warden status` in another terminal can list them.
public final class SQLiteInstanceRegistry: InstanceRegistry {
    /// The database file.
    public let path: String
    private let database: DatabaseQueue

    public init(path: String, busyTimeout: Double = 5) throws(StoreError) {
        self.path = path
        do {
            database = try SharedDatabase.open(
                path: path,
                label: "warden.instances",
                busyTimeout: busyTimeout,
                schema: """
                    CREATE TABLE IF NOT EXISTS instance (
                        id TEXT PRIMARY KEY, pid INTEGER NOT NULL, mode TEXT NOT NULL, server TEXT,
                        started_at_ms INTEGER NOT NULL, heartbeat_at_ms INTEGER NOT NULL);
                    """
            )
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteStoreFile.openingError(path, store: "instance registry", error)
        }
    }

    public func register(_ instance: InstanceRecord) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO instance (id, pid, mode, server, started_at_ms, heartbeat_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    instance.id, instance.pid, instance.mode, instance.server, instance.startedAt.millisecondsSinceEpoch,
                    instance.heartbeatAt.millisecondsSinceEpoch,
                ]
            )
        }
    }

    public func heartbeat(id: String, at time: Timestamp) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE instance SET heartbeat_at_ms = ? WHERE id = ?", arguments: [time.millisecondsSinceEpoch, id])
        }
    }

    public func unregister(id: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM instance WHERE id = ?", arguments: [id]) }
    }

    public func instances(aliveSince time: Timestamp) throws(StoreError) -> [InstanceRecord] {
        do {
            return try database.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM instance WHERE heartbeat_at_ms >= ? ORDER BY started_at_ms, id",
                    arguments: [time.millisecondsSinceEpoch]
                ).map { row in
                    InstanceRecord(
                        id: row["id"],
                        pid: row["pid"],
                        mode: row["mode"],
                        server: row["server"],
                        startedAt: Timestamp(millisecondsSinceEpoch: row["started_at_ms"]),
                        heartbeatAt: Timestamp(millisecondsSinceEpoch: row["heartbeat_at_ms"])
                    )
                }
            }
        } catch {
            throw StoreError(code: .cannotRead, location: path, message: "cannot read the instance registry: \(error)")
        }
    }

    private func write(_ body: (Database) throws -> Void) throws(StoreError) {
        do {
            try database.write(body)
        } catch {
            throw StoreError(code: .cannotWrite, location: path, message: "cannot write the instance registry: \(error)")
        }
    }
}
