public import WardenPolicy
public import WardenStore
import Synchronization

/// Opens the audit store on first use; if opening fails, that write fails (and the call fails closed) and the
/// next one tries again.
public final class LazyAuditStore: AuditStore {
    private let open: @Sendable () throws(StoreError) -> any AuditStore
    private let store = Mutex<(any AuditStore)?>(nil)

    public init(open: @escaping @Sendable () throws(StoreError) -> any AuditStore) {
        self.open = open
    }

    private func opened() throws(StoreError) -> any AuditStore {
        if let existing = store.withLock({ $0 }) { return existing }
        let created = try open()
        return store.withLock { current in
            if let current { return current }
            current = created
            return created
        }
    }

    public func append(_ record: AuditRecord) throws(StoreError) -> Int64 { try opened().append(record) }

    public func recordOutcome(id: Int64, outcome: String, upstreamMicroseconds: Int?) throws(StoreError) {
        try opened().recordOutcome(id: id, outcome: outcome, upstreamMicroseconds: upstreamMicroseconds)
    }

    public func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] { try opened().query(filter) }

    public func prune(before time: Timestamp) throws(StoreError) -> Int { try opened().prune(before: time) }
}
