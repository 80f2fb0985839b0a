public import WardenPolicy
public import WardenStore

/// The approval store, opened on first use (see `RetryingOpener`).
public final class LazyApprovalStore: ApprovalStore {
    private let store: RetryingOpener<any ApprovalStore>

    public init(open: @escaping @Sendable () throws(StoreError) -> any ApprovalStore) {
        store = RetryingOpener(open)
    }

    public func create(_ record: ApprovalRecord) throws(StoreError) { try store.get().create(record) }

    public func get(id: String) throws(StoreError) -> ApprovalRecord? { try store.get().get(id: id) }

    public func list(states: [ApprovalState]?, limit: Int?) throws(StoreError) -> [ApprovalRecord] {
        try store.get().list(states: states, limit: limit)
    }

    public func resolve(id: String, to state: ApprovalState, by: String?, reason: String?, at time: Timestamp) throws(StoreError)
        -> ApprovalRecord?
    {
        try store.get().resolve(id: id, to: state, by: by, reason: reason, at: time)
    }

    public func expireOrphans(at time: Timestamp, isOwnerAlive: (String) -> Bool) throws(StoreError) -> Int {
        try store.get().expireOrphans(at: time, isOwnerAlive: isOwnerAlive)
    }

    public func waitForChange(of id: String, upTo duration: Duration) async throws {
        guard let opened = try? store.get() else { return try await Task.sleep(for: duration) }
        try await opened.waitForChange(of: id, upTo: duration)
    }
}
