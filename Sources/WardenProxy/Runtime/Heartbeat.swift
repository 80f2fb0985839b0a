#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import ServiceLifecycle
import WardenPolicy
import WardenStore

/// Lists this process in the instance registry `warden status` reads, beats while it runs and leaves on shutdown.
///
/// A store that cannot be opened (or one in memory, which no other process sees) only costs the listing.
struct Heartbeat: Service {
    let stores: StoreSet
    let mode: String
    let server: String?
    let interval: Duration

    func run() async throws {
        guard let registry = stores.makeInstanceRegistry() else {
            try? await gracefulShutdown()
            return
        }
        let started = Timestamp.now()
        try? registry.register(
            InstanceRecord(id: InstanceID.current, pid: getpid(), mode: mode, server: server, startedAt: started, heartbeatAt: started)
        )
        let interval = self.interval
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                try? registry.heartbeat(id: InstanceID.current, at: Timestamp.now())
            }
        }
        try? registry.unregister(id: InstanceID.current)
    }
}
