import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A small HTTP/1.1 server for `/metrics`, `/healthz` and `/readyz`, on loopback by default: a `Service`.
///
/// It runs on an event loop thread of its own, beside the stdio proxy (`warden run --metrics PORT`) or any other server. Requests are bounded (header
/// and body size, connection count, idle time) and malformed ones get a 400 and a closed connection; nothing a
/// client sends can stop the server. The answers are ``ObservabilityRoutes``'.
///
/// Run it in a service group (it stops on the group's graceful shutdown), or start it on its own with
/// ``start(host:port:metrics:isReady:configuration:)`` and stop it with ``shutdown()``.
public final class ObservabilityServer: Service {
    /// Limits for connections and requests; the defaults suit a scraper on loopback.
    public struct Configuration: Sendable, Hashable {
        /// Largest request body accepted before answering 413 and closing; these endpoints take none. Default 8 KiB.
        public var maxBodySize: Int = 8 * 1024
        /// Largest total size of a request's header fields. Default 16 KiB.
        public var maxHeaderSize: Int = 16 * 1024
        /// Connections open at once; more are closed as soon as they are accepted. Default 64.
        public var maxConnections: Int = 64
        /// A connection that sends nothing for this long is closed. Default 60 seconds.
        public var idleTimeout: Duration = .seconds(60)
        /// SHA-256 (hex) of the bearer token `/metrics` asks for (401 without it); nil serves it to anyone who can
        /// connect. `/healthz` and `/readyz` never ask.
        public var metricsTokenSHA256: String?

        public init() {}
    }

    private let host: String
    private let requestedPort: Int
    private let routes: ObservabilityRoutes
    private let configuration: Configuration
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void
    private let boundPort = Atomic<Int>(0)
    /// Set by ``start(host:port:metrics:isReady:configuration:)``: the group it runs in on its own.
    private let ownGroup = Mutex<StartedService?>(nil)

    /// The port it listens on: the one asked for, or once listening the one the system chose for port 0.
    public var port: Int {
        let bound = boundPort.load(ordering: .relaxed)
        return bound == 0 ? requestedPort : bound
    }

    /// A server for `host:port` (port 0: any free port, read back from ``port`` or `onListening`); nothing listens
    /// until ``run()``.
    ///
    /// `isReady` answers `/readyz`; it runs on the server's event loop, so it should be quick and thread-safe.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        metrics: WardenMetrics,
        isReady: @escaping @Sendable () -> Bool = { true },
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "warden.metrics"),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.requestedPort = port
        self.routes = ObservabilityRoutes(
            metrics: metrics,
            isReady: isReady,
            metricsTokenSHA256: configuration.metricsTokenSHA256,
            maxBodySize: configuration.maxBodySize
        )
        self.configuration = configuration
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until the enclosing service group shuts down gracefully (or the task is cancelled); throws when the
    /// port cannot be bound.
    public func run() async throws {
        let connections = ConnectionCount(limit: configuration.maxConnections)
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionAdmission(count: connections), CloseAfterResponse()],
            idleTimeout: TimeAmount.nanoseconds(Int64(configuration.idleTimeout / .nanoseconds(1))),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: configuration.maxHeaderSize,
                maxHeaderListSize: configuration.maxHeaderSize,
                maxHeaderFieldCount: 100
            )
        )
        // A thread of its own, and the handlers' async code on it: a scrape is answered even while every thread of
        // the cooperative pool is busy (or blocked), as the stdio proxy beside it may keep them.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { group.shutdownGracefully { _ in } }
        let app = Application(
            router: routes.makeRouter(),
            server: .http1(configuration: http1),
            configuration: ApplicationConfiguration(address: .hostname(host, port: requestedPort), serverName: "warden-metrics"),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? requestedPort
                boundPort.store(port, ordering: .relaxed)
                await onListening(port)
            },
            eventLoopGroupProvider: .shared(group),
            logger: logger
        )
        try await withTaskExecutorPreference(EventLoopTaskExecutor(fallback: group)) { try await app.run() }
    }

    /// Starts serving in a task of its own; returns once the port is bound, and throws if it cannot be.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        metrics: WardenMetrics,
        isReady: @escaping @Sendable () -> Bool = { true },
        configuration: Configuration = Configuration()
    ) async throws -> ObservabilityServer {
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = ObservabilityServer(host: host, port: port, metrics: metrics, isReady: isReady, configuration: configuration) { port in
            continuation.yield(port)
        }
        let started = StartedService(server, logger: server.logger) { continuation.finish() }
        server.ownGroup.withLock { $0 = started }
        var iterator = bound.makeAsyncIterator()
        guard await iterator.next() != nil else {
            throw ObservabilityError(message: "cannot listen on \(host):\(port): \(await started.failure() ?? "the server stopped")")
        }
        return server
    }

    /// Stops a server begun with ``start(host:port:metrics:isReady:configuration:)``: it stops listening, closes open
    /// connections and returns when they are closed. Calling it again does nothing.
    public func shutdown() async {
        guard let started = ownGroup.withLock({ group in defer { group = nil }; return group }) else { return }
        await started.stop()
    }
}

/// Why the observability server could not start.
public struct ObservabilityError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
