public import Logging
public import ServiceLifecycle
import Synchronization

/// `warden run`'s one session, as a `Service`: the client on Warden's stdin and stdout, the upstream behind it.
///
/// It ends when the upstream does; its group then shuts down around it. Graceful shutdown finishes a remote
/// upstream (a child gets the signal itself), and cancellation ends any upstream at once.
public final class StdioDownstream: Service {
    private let upstream: StdioProxy.Upstream
    private let configuration: StdioProxyConfiguration
    private let metrics: WardenMetrics?
    private let logger: Logger
    private let makeInterceptor: @Sendable () -> SessionInterceptor
    private let status = Atomic<Int32>(0)

    public init(
        upstream: StdioProxy.Upstream,
        configuration: StdioProxyConfiguration,
        metrics: WardenMetrics?,
        logger: Logger,
        makeInterceptor: @escaping @Sendable () -> SessionInterceptor
    ) {
        self.upstream = upstream
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.makeInterceptor = makeInterceptor
    }

    /// The status to exit with once the session is over: a child's own, 0 for a remote server.
    public var exitStatus: Int32 { status.load(ordering: .acquiring) }

    public func run() async throws {
        metrics?.sessionOpened()
        defer { metrics?.sessionClosed() }
        let code = try await StdioProxy.run(upstream: upstream, configuration: configuration, logger: logger, makeInterceptor: makeInterceptor)
        status.store(code, ordering: .releasing)
    }
}
