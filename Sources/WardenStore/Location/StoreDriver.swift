import Foundation

/// How to open each store of one kind: what a `StoreDSN` names, once its kind is known.
///
/// Every store a process uses (limits, approvals, audit, the instance registry, pins) comes from one driver, so a new
/// kind of store is one new driver and one case in `StoreDSN.driver()`.
struct StoreDriver: Sendable {
    let makeLimitStore: @Sendable () throws(StoreError) -> any LimitStore
    let makeApprovalStore: @Sendable () throws(StoreError) -> any ApprovalStore
    let makeAuditStore: @Sendable () throws(StoreError) -> any AuditStore
    let makeInstanceRegistry: @Sendable () throws(StoreError) -> any InstanceRegistry
    let makePinStore: @Sendable () throws(StoreError) -> any PinStore

    /// Stores in this process's memory; each opening is a new, empty store.
    static let memory = StoreDriver(
        makeLimitStore: { MemoryLimitStore() },
        makeApprovalStore: { MemoryApprovalStore() },
        makeAuditStore: { MemoryAuditStore() },
        makeInstanceRegistry: { MemoryInstanceRegistry() },
        makePinStore: { MemoryPinStore() }
    )

    /// Stores in one SQLite file, created if it does not exist yet; the audit trail is journaled beside it.
    static func sqlite(path: String) -> StoreDriver {
        StoreDriver(
            makeLimitStore: { () throws(StoreError) in try SQLiteLimitStore(path: path) },
            makeApprovalStore: { () throws(StoreError) in try SQLiteApprovalStore(path: path) },
            makeAuditStore: { () throws(StoreError) in
                try JournaledAuditStore(store: try SQLiteAuditStore(path: path), directory: path + ".audit-journals")
            },
            makeInstanceRegistry: { () throws(StoreError) in try SQLiteInstanceRegistry(path: path) },
            makePinStore: { () throws(StoreError) in try SQLitePinStore(path: path) }
        )
    }

    /// Stores in one PostgreSQL database shared by a fleet; the audit trail is journaled on this machine first, in
    /// `~/.warden/journals/<host>-<port>-<database>/`, and moved into the database by the journal's mover.
    static func postgres(url: String) -> StoreDriver {
        StoreDriver(
            makeLimitStore: { () throws(StoreError) in PostgresLimitStore(database: try PostgresDatabase.shared(url: url)) },
            makeApprovalStore: { () throws(StoreError) in PostgresApprovalStore(database: try PostgresDatabase.shared(url: url)) },
            makeAuditStore: { () throws(StoreError) in
                let database = try PostgresDatabase.shared(url: url)
                return try JournaledAuditStore(store: PostgresAuditStore(database: database), directory: try journalDirectory(database.location))
            },
            makeInstanceRegistry: { () throws(StoreError) in PostgresInstanceRegistry(database: try PostgresDatabase.shared(url: url)) },
            makePinStore: { () throws(StoreError) in PostgresPinStore(database: try PostgresDatabase.shared(url: url)) }
        )
    }

    /// Where this machine journals audit records bound for `location`.
    static func journalDirectory(_ location: PostgresLocation) throws(StoreError) -> String {
        let name = "\(location.host)-\(location.port)-\(location.database)".map { character in
            character.isLetter || character.isNumber || character == "-" || character == "." ? character : "_"
        }
        return try StoreLocation.expandingTilde(in: "~/.warden/journals/" + String(name), home: ProcessInfo.processInfo.environment["HOME"])
    }
}
