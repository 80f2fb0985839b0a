public import WardenPolicy

/// A running Warden process, as `warden status` lists it.
public struct InstanceRecord: Sendable, Hashable {
    /// Unique per process (pid plus a random part), so a reused pid is not taken for the old process.
    public var id: String
    public var pid: Int32
    /// How it runs: `run` (stdio), `gateway`, …
    public var mode: String
    /// The upstream server it fronts, when it has one name.
    public var server: String?
    public var startedAt: Timestamp
    /// The last sign of life; an instance that stops beating is presumed gone (killed processes cannot say goodbye).
    public var heartbeatAt: Timestamp

    public init(id: String, pid: Int32, mode: String, server: String?, startedAt: Timestamp, heartbeatAt: Timestamp) {
        self.id = id
        self.pid = pid
        self.mode = mode
        self.server = server
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
    }
}
