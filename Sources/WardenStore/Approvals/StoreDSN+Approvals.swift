extension StoreDSN {
    /// The approval store this DSN names: memory approvals can only be resolved from inside this process.
    public func makeApprovalStore() throws(StoreError) -> any ApprovalStore {
        switch kind {
        case .memory:
            return MemoryApprovalStore()
        case .sqlite:
            return try SQLiteApprovalStore(path: location)
        default:
            throw StoreError(
                code: .unavailable,
                location: description,
                message: "the postgres store is not available yet; use `sqlite:PATH` (the default) or `memory:`"
            )
        }
    }
}
