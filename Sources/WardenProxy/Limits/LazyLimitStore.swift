public import WardenPolicy
public import WardenStore

/// Opens the real limit store on first use, so a policy without limits never creates a database file.
///
/// If opening fails, that call fails (and the proxy fails closed); the next call tries again, so a store that
/// becomes reachable later is used without a restart.
public actor LazyLimitStore: LimitStore {
    private let open: @Sendable () throws(StoreError) -> any LimitStore
    private var store: (any LimitStore)?

    public init(open: @escaping @Sendable () throws(StoreError) -> any LimitStore) {
        self.open = open
    }

    private func opened() throws(StoreError) -> any LimitStore {
        if let store { return store }
        let store = try open()
        self.store = store
        return store
    }

    public func reserve(_ requests: [LimitRequest], at now: Timestamp) async throws -> LimitVerdict {
        try await opened().reserve(requests, at: now)
    }

    public func forwarded(_ id: ReservationID, at now: Timestamp) async throws {
        try await opened().forwarded(id, at: now)
    }

    public func commit(_ id: ReservationID) async throws {
        try await store?.commit(id)
    }

    public func rollback(_ id: ReservationID) async throws {
        try await store?.rollback(id)
    }
}
