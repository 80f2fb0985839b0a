import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server for `/metrics`, `/healthz` and `/readyz`, on loopback by default.
///
/// It runs on an event loop thread of its own, so it can sit beside the stdio proxy (`warden run --metrics PORT`)
/// or any other server without sharing its threads. Requests are bounded (header and body size, connection count,
/// idle time) and malformed ones get a 400 and a closed connection; nothing a client sends can stop the server.
///
/// | request | answer |
/// | --- | --- |
/// | `GET /metrics` | 200, the Prometheus text format (`text/plain; version=0.0.4`) |
/// | `GET /healthz` | 200 `ok`: the process is alive |
/// | `GET /readyz` | 200 `ready` when `isReady()` says so, else 503 `not ready` |
/// | `GET` anything else | 404 |
/// | any other method | 405, with `Allow: GET, HEAD` |
///
/// `HEAD` is answered like `GET`, without the body.
public final class ObservabilityServer: Sendable {
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

    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    /// Set by the first ``shutdown()``: a closed channel's event loop is gone, so a second close would never finish.
    private let isShutDown = Atomic<Bool>(false)
    /// The port it listens on: the one asked for, or the one the system chose when asked for port 0.
    public let port: Int

    private init(channel: any Channel, group: MultiThreadedEventLoopGroup, port: Int) {
        self.channel = channel
        self.group = group
        self.port = port
    }

    /// Starts listening on `host:port` (port 0: any free port, read it back from ``port``).
    ///
    /// `isReady` answers `/readyz`; it runs on the server's event loop, so it should be quick and thread-safe.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        metrics: WardenMetrics,
        isReady: @escaping @Sendable () -> Bool = { true },
        configuration: Configuration = Configuration()
    ) async throws -> ObservabilityServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let connections = ConnectionCount(limit: configuration.maxConnections)
        let routes = ObservabilityRoutes(metrics: metrics, isReady: isReady, metricsTokenSHA256: configuration.metricsTokenSHA256)
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = configuration.maxHeaderSize
        limits.maxHeaderFieldSize = configuration.maxHeaderSize
        limits.maxHeaderFieldCount = 100
        let decoderLimits = limits
        let idleTimeout = TimeAmount.nanoseconds(Int64(configuration.idleTimeout / .nanoseconds(1)))
        let maxBodySize = configuration.maxBodySize
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    guard connections.admit() else {
                        return channel.close()
                    }
                    channel.closeFuture.whenComplete { _ in connections.release() }
                    return channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                        try pipeline.configureHTTPServerPipeline(
                            withErrorHandling: true,
                            withOutboundHeaderValidation: true,
                            withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
                            withDecoderLimitConfiguration: decoderLimits,
                        )
                        try pipeline.addHandler(ObservabilityHandler(routes: routes, maxBodySize: maxBodySize))
                    }
                }
                .bind(host: host, port: port)
                .get()
            return ObservabilityServer(channel: channel, group: group, port: channel.localAddress?.port ?? port)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Stops listening, closes open connections and ends the server's thread; calling it again does nothing.
    public func shutdown() async {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Counts open connections against a limit, from the event loop and `closeFuture` callbacks alike.
final class ConnectionCount: Sendable {
    private let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot if one is free.
    func admit() -> Bool {
        let (_, now) = open.add(1, ordering: .relaxed)
        if now <= limit { return true }
        open.subtract(1, ordering: .relaxed)
        return false
    }

    func release() {
        open.subtract(1, ordering: .relaxed)
    }
}
