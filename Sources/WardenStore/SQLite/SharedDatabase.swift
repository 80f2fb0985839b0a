import Foundation
import GRDB

/// Opens a connection to the shared SQLite file the approval and audit stores use, in WAL mode, creating its
/// directory (mode 0700), the file (mode 0600) and the store's tables when missing.
enum SharedDatabase {
    static func open(path: String, label: String, busyTimeout: Double, synchronous: String? = nil, schema: String) throws -> DatabaseQueue {
        try PrivateDirectory.create((path as NSString).deletingLastPathComponent)
        try PrivateFile.prepare(path)
        var options = Configuration()
        options.label = label
        options.journalMode = .wal
        options.busyMode = BusyWait.mode(timeout: busyTimeout)
        if let synchronous {
            options.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = " + synchronous) }
        }
        let database = try DatabaseQueue(path: path, configuration: options)
        try database.write { db in try db.execute(sql: schema) }
        return database
    }
}
