extension StoreDSN {
    /// Opens the audit store this DSN names (creating a SQLite file that does not exist yet).
    public func makeAuditStore() throws(StoreError) -> any AuditStore {
        switch kind {
        case .memory:
            return MemoryAuditStore()
        case .sqlite:
            return try JournaledAuditStore(store: try SQLiteAuditStore(path: location), directory: location + ".audit-journals")
        default:
            throw StoreError(
                code: .unavailable,
                location: description,
                message: "the postgres store is not available yet; use `sqlite:PATH` (the default) or `memory:`"
            )
        }
    }
}
