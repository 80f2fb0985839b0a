import Synchronization
public import WardenPolicy

/// Running instances in this process's memory: for tests and `--store memory:`, where no other process can look.
public final class MemoryInstanceRegistry: InstanceRegistry {
    private let instances = Mutex<[String: InstanceRecord]>([:])

    public init() {}

    public func register(_ instance: InstanceRecord) throws(StoreError) {
        instances.withLock { $0[instance.id] = instance }
    }

    public func heartbeat(id: String, at time: Timestamp) throws(StoreError) {
        instances.withLock { $0[id]?.heartbeatAt = time }
    }

    public func unregister(id: String) throws(StoreError) {
        _ = instances.withLock { $0.removeValue(forKey: id) }
    }

    public func instances(aliveSince time: Timestamp) throws(StoreError) -> [InstanceRecord] {
        instances.withLock { $0.values.filter { $0.heartbeatAt >= time } }
            .sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }
}
