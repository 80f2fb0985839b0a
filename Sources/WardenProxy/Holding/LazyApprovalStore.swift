public import WardenPolicy
public import WardenStore
import Synchronization

/// Opens the approval store on first use, so a policy that never holds a call never creates a database file.
public final class LazyApprovalStore: ApprovalStore {
    private let open: @Sendable () throws(StoreError) -> any ApprovalStore
    private let store = Mutex<(any ApprovalStore)?>(nil)

    public init(open: @escaping @Sendable () throws(StoreError) -> any ApprovalStore) {
        self.open = open
    }

    private func opened() throws(StoreError) -> any ApprovalStore {
        if let existing = store.withLock({ $0 }) { return existing }
        let created = try open()
        return store.withLock { current in
            if let current { return current }
            current = created
            return created
        }
    }

    public func create(_ record: ApprovalRecord) throws(StoreError) { try opened().create(record) }

    public func get(id: String) throws(StoreError) -> ApprovalRecord? { try opened().get(id: id) }

    public func list(states: [ApprovalState]?, limit: Int?) throws(StoreError) -> [ApprovalRecord] {
        try opened().list(states: states, limit: limit)
    }

    public func resolve(id: String, to state: ApprovalState, by: String?, reason: String?, at time: Timestamp) throws(StoreError)
        -> ApprovalRecord?
    {
        try opened().resolve(id: id, to: state, by: by, reason: reason, at: time)
    }

    public func expireOrphans(at time: Timestamp, isOwnerAlive: (String) -> Bool) throws(StoreError) -> Int {
        try opened().expireOrphans(at: time, isOwnerAlive: isOwnerAlive)
    }
}
