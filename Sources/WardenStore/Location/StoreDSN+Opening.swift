extension StoreDSN {
    /// The driver for this kind of store: the one place that says which kinds this build can open.
    func driver() throws(StoreError) -> StoreDriver {
        switch kind {
        case .memory:
            return .memory
        case .sqlite:
            return .sqlite(path: location)
        default:
            return .postgres(url: location)
        }
    }

    /// Opens the limit store this DSN names (creating a SQLite file that does not exist yet).
    public func makeLimitStore() throws(StoreError) -> any LimitStore {
        try driver().makeLimitStore()
    }

    /// Opens the approval store this DSN names; memory approvals can only be resolved from inside this process.
    public func makeApprovalStore() throws(StoreError) -> any ApprovalStore {
        try driver().makeApprovalStore()
    }

    /// Opens the audit store this DSN names (creating a SQLite file that does not exist yet).
    public func makeAuditStore() throws(StoreError) -> any AuditStore {
        try driver().makeAuditStore()
    }

    /// Opens the instance registry this DSN names (creating a SQLite file that does not exist yet).
    public func makeInstanceRegistry() throws(StoreError) -> any InstanceRegistry {
        try driver().makeInstanceRegistry()
    }

    /// Whether other processes see what this store holds (SQLite on this machine, PostgreSQL anywhere): what decides
    /// whether the instance listing of `warden status` is kept.
    public var isShared: Bool { kind != .memory }

    /// Opens the pin store this DSN names; memory pins are forgotten when the process ends.
    public func makePinStore() throws(StoreError) -> any PinStore {
        try driver().makePinStore()
    }
}
