import ArgumentParser
import Foundation
import WardenStore

/// The store a read-mostly command (`approvals`, `audit`) works on: never created by reading it.
enum ExistingStore {
    /// The DSN from `--store` or the default file, or nil (after saying so) when that file does not exist yet.
    static func dsn(_ store: String?, whenMissing message: String) throws -> StoreDSN? {
        let dsn: StoreDSN
        do {
            dsn = try store.map { try StoreDSN(parsing: $0) } ?? .sqlite(path: try StoreLocation.defaultSQLitePath)
        } catch {
            throw ValidationError("--store: \(error)")
        }
        if dsn.kind == .sqlite, !FileManager.default.fileExists(atPath: dsn.location) {
            printError("\(message) at \(dsn.location)")
            return nil
        }
        return dsn
    }

    /// Opens a store, turning a failure into a message and exit status 1.
    static func open<Store>(_ make: () throws(StoreError) -> Store) throws -> Store {
        do {
            return try make()
        } catch {
            printError("warden: \(error)")
            throw ExitCode(1)
        }
    }
}
