import Logging
import ServiceLifecycle

/// A service running in a service group of its own, for callers that start one server and stop it later rather than
/// run a group of their own.
struct StartedService: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Runs `service` until ``stop()``; `ended` is called when it stops, however it stops.
    init(_ service: some Service, logger: Logger, ended: @escaping @Sendable () -> Void) {
        // No signals: the caller decides when the server ends.
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        // Ended by `stop()`, which triggers the group's graceful shutdown and waits for it.
        self.task = Task {
            defer { ended() }
            try await group.run()
        }
    }

    /// Why the service stopped by itself, once it has.
    func failure() async -> String? {
        switch await task.result {
        case .success: nil
        case .failure(let error): "\(error)"
        }
    }

    /// Shuts the service down gracefully and waits until it has.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
