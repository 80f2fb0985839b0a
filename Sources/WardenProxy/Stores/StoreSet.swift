public import WardenStore

/// The stores a proxy or gateway uses, each opened on first use: `--store DSN` or the default SQLite file.
///
/// Opening lazily means a missing home directory or an unwritable file only fails the calls that need the store,
/// and each failure says why. Which kinds of store exist is `StoreDSN`'s business; this only defers the opening.
public struct StoreSet: Sendable {
    /// The store given, or nil for the default SQLite file.
    public let dsn: StoreDSN?

    public init(dsn: StoreDSN?) {
        self.dsn = dsn
    }

    private func location() throws(StoreError) -> StoreDSN {
        if let dsn { return dsn }
        return StoreDSN.sqlite(path: try StoreLocation.defaultSQLitePath)
    }

    public func makeLimits() -> LazyLimitStore {
        LazyLimitStore { () throws(StoreError) in try location().makeLimitStore() }
    }

    public func makeApprovals() -> LazyApprovalStore {
        LazyApprovalStore { () throws(StoreError) in try location().makeApprovalStore() }
    }

    public func makeAudit() -> LazyAuditStore {
        LazyAuditStore { () throws(StoreError) in try location().makeAuditStore() }
    }

    /// The pin store, opened on first use; one per process, shared by its sessions.
    public func makePins() -> LazyPinStore {
        LazyPinStore { () throws(StoreError) in try location().makePinStore() }
    }

    /// The registry `warden status` reads, opened now; nil for a store other processes cannot see (memory) or one
    /// that cannot be opened, which only costs the listing.
    public func makeInstanceRegistry() -> (any InstanceRegistry)? {
        guard let location = try? location(), location.isShared else { return nil }
        return try? location.makeInstanceRegistry()
    }

    /// Why the store cannot be used right now (PostgreSQL unreachable), or nil: `/readyz` says not ready meanwhile.
    public func unavailability() -> String? {
        guard let location = try? location() else { return nil }
        return location.unavailability()
    }

    /// Calls `handler` with a server's name when another process accepts one of its pins (PostgreSQL only).
    public func watchPinAcceptances(_ handler: @escaping @Sendable (String) -> Void) {
        guard let dsn, dsn.kind == .postgres else { return }
        dsn.watchPinAcceptances(handler)
    }
}
