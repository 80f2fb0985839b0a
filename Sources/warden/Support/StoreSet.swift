import WardenProxy
import WardenStore

/// The stores a proxy or gateway uses, each opened on first use: `--store DSN` or the default SQLite file.
///
/// Opening lazily means a missing home directory or an unwritable file only fails the calls that need the store,
/// and each failure says why.
struct StoreSet {
    let dsn: StoreDSN?

    private func location() throws(StoreError) -> StoreDSN {
        if let dsn { return dsn }
        return StoreDSN.sqlite(path: try StoreLocation.defaultSQLitePath)
    }

    var limits: LazyLimitStore {
        LazyLimitStore { () throws(StoreError) in try location().makeLimitStore() }
    }

    var approvals: LazyApprovalStore {
        LazyApprovalStore { () throws(StoreError) in try location().makeApprovalStore() }
    }

    var audit: LazyAuditStore {
        LazyAuditStore { () throws(StoreError) in try location().makeAuditStore() }
    }

    /// The SQLite file behind it, for the instance registry `warden status` reads; nil for other stores.
    var sqlitePath: String? {
        dsn.map { $0.kind == .sqlite ? $0.location : nil } ?? (try? StoreLocation.defaultSQLitePath)
    }
}
