import Foundation
import GRDB

/// Opens a connection to the shared SQLite file the approval and audit stores use, in WAL mode, creating its
/// directory (mode 0700), the file (mode 0600) and the store's tables when missing. A file that lost its content is
/// refused (see ``SQLiteStoreFile``).
enum SharedDatabase {
    static func open(path: String, label: String, busyTimeout: Double, synchronous: String? = nil, schema: String) throws -> DatabaseQueue {
        // Another store of this process may be creating the file: checked and opened one at a time, so an empty file
        // seen here is never one that a neighbour is about to give its header.
        SQLiteStoreFile.openingLock.lock()
        defer { SQLiteStoreFile.openingLock.unlock() }
        try SQLiteStoreFile.checkNotEmptied(path)
        try PrivateDirectory.create((path as NSString).deletingLastPathComponent)
        try PrivateFile.prepare(path)
        var options = Configuration()
        options.label = label
        options.journalMode = .wal
        options.busyMode = BusyWait.mode(timeout: busyTimeout)
        if let synchronous {
            options.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = " + synchronous) }
        }
        let database: DatabaseQueue
        do {
            database = try DatabaseQueue(path: path, configuration: options)
            try database.write { db in try db.execute(sql: schema) }
        } catch {
            // A full disk (no room for the -shm file or a commit) or another writer holding the lock: a store whose
            // tables exist can still be read, so `warden audit` and `warden status` work while calls are refused.
            guard let reader = readOnly(path: path, label: label, busyTimeout: busyTimeout, schema: schema) else { throw error }
            return reader
        }
        return database
    }

    /// A read-only connection to an existing store, or nil. A table of `schema` the file does not have yet (a store
    /// that never held an approval, say) is made an empty temporary table on the connection, so it reads as empty.
    static func readOnly(path: String, label: String, busyTimeout: Double, schema: String) -> DatabaseQueue? {
        var options = Configuration()
        options.label = label
        options.readonly = true
        options.busyMode = BusyWait.mode(timeout: busyTimeout)
        guard let database = try? DatabaseQueue(path: path, configuration: options) else { return nil }
        let made: Void? = try? database.inDatabase { db in
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            for statement in schema.components(separatedBy: ";") {
                let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
                guard let table = tableNames(in: text).first, try !db.tableExists(table) else { continue }
                try db.execute(sql: text.replacingOccurrences(of: "CREATE TABLE IF NOT EXISTS", with: "CREATE TEMP TABLE IF NOT EXISTS"))
            }
        }
        return made == nil ? nil : database
    }

    /// The tables a schema creates, from its `CREATE TABLE IF NOT EXISTS name` statements.
    static func tableNames(in schema: String) -> [String] {
        schema.components(separatedBy: "CREATE TABLE IF NOT EXISTS ").dropFirst().compactMap { statement in
            statement.split(whereSeparator: { $0 == " " || $0 == "(" }).first.map(String.init)
        }
    }
}
