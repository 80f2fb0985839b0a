extension StoreDSN {
    /// Opens the instance registry this DSN names (creating a SQLite file that does not exist yet).
    public func makeInstanceRegistry() throws(StoreError) -> any InstanceRegistry {
        switch kind {
        case .memory:
            return MemoryInstanceRegistry()
        case .sqlite:
            return try SQLiteInstanceRegistry(path: location)
        default:
            throw StoreError(
                code: .unavailable,
                location: description,
                message: "the postgres store is not available yet; use `sqlite:PATH` (the default) or `memory:`"
            )
        }
    }
}
