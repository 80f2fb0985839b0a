public import WardenPolicy
public import WardenStore

/// Opens the real limit store on first use, so a policy without limits never creates a database file.
///
/// If opening fails, that call fails (and the proxy fails closed); the next call tries again, so a store that
/// becomes reachable later is used without a restart.
public actor LazyLimitStore: LimitStore {
    private let open: @Sendable () throws(StoreError) -> any LimitStore
    private var store: (any LimitStore)?
    /// The opening under way, which callers that arrive meanwhile wait for too.
    private var opening: Task<Result<any LimitStore, StoreError>, Never>?

    public init(open: @escaping @Sendable () throws(StoreError) -> any LimitStore) {
        self.open = open
    }

    private func opened() async throws(StoreError) -> any LimitStore {
        if let store { return store }
        // Opening reads the file and may wait for another process's lock: on the shared pool, never on the event
        // loop a session's store work may be running on.
        let task =
            opening
            ?? Task(executorPreference: globalConcurrentExecutor) { [open] () -> Result<any LimitStore, StoreError> in
                do throws(StoreError) { return .success(try open()) } catch { return .failure(error) }
            }
        opening = task
        let result = await task.value
        opening = nil
        switch result {
        case .success(let opened):
            if store == nil { store = opened }
            return store ?? opened
        case .failure(let error):
            throw error
        }
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
