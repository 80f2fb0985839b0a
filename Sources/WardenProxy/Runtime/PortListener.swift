import ServiceLifecycle

/// A server on a port a flag asked for (`--metrics`, `--console`): started with the group, stopped on its graceful
/// shutdown. A port that cannot be bound stops Warden with a message naming the flag.
struct PortListener: Service {
    /// A server that listens, with the port it got and how to stop it.
    struct Started: Sendable {
        let port: Int
        let stop: @Sendable () async -> Void
    }

    let flag: String
    let port: Int
    let start: @Sendable () async throws -> Started
    let onListening: @Sendable (Int) -> Void

    func run() async throws {
        let started: Started
        do {
            started = try await start()
        } catch {
            throw RuntimeError(code: .cannotListen, message: "\(flag) \(port): cannot listen on 127.0.0.1:\(port): \(error)")
        }
        onListening(started.port)
        // Cancellation (another service failed) stops the server too.
        try? await gracefulShutdown()
        await started.stop()
    }
}
