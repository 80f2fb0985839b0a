import ArgumentParser
import Foundation
import WardenStore

/// `--start-afresh`: the explicit way past a SQLite store file that was emptied or damaged.
enum StoreAfresh {
    /// Sets the store file aside when it is emptied or damaged, before any store is opened on it, and says where it went.
    static func setAside(_ store: StoreDSN?) throws {
        do {
            let dsn = try store ?? .sqlite(path: StoreLocation.defaultSQLitePath)
            guard dsn.kind == .sqlite, let aside = try SQLiteStoreFile.startAfresh(dsn.location) else { return }
            printError("warden: the damaged store file \(dsn.location) was set aside as \(aside); a new store begins")
        } catch {
            printError("warden: --start-afresh: \(error)")
            throw ExitCode(1)
        }
    }
}
