public import WardenPolicy

/// Where running instances announce themselves: each registers, beats every few seconds and leaves on exit.
///
/// Synchronous, like ``AuditStore``: every operation is one small local write, done once every few seconds.
public protocol InstanceRegistry: Sendable {
    /// Adds the instance, or replaces the one with the same id.
    func register(_ instance: InstanceRecord) throws(StoreError)
    /// Moves the instance's heartbeat to `time`; an unknown id is not an error.
    func heartbeat(id: String, at time: Timestamp) throws(StoreError)
    func unregister(id: String) throws(StoreError)
    /// Instances whose last heartbeat is at or after `time`, oldest start first.
    func instances(aliveSince time: Timestamp) throws(StoreError) -> [InstanceRecord]
}
