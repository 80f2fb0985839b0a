import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization
import WardenJSON
import WardenPolicy
public import WardenProxy
public import WardenStore

/// `warden serve`: Streamable HTTP in front of several MCP servers, each at `/mcp/<name>` under its own policy.
///
/// A `Service`: on the enclosing group's graceful shutdown it stops accepting at once (the listener closes, idle
/// kept-alive connections close, and a request that still arrives gets 503), ends every event stream, lets the
/// calls in flight finish (30 seconds at most), ends every session, stops every child process (stdin closed, then
/// SIGTERM, then SIGKILL) and waits for each to exit, and returns.
public struct Gateway: Service {
    public let config: GatewayConfig
    public let logger: Logger
    /// Called with the bound port once the gateway listens (useful with port 0).
    public var onListening: @Sendable (Int) async -> Void = { _ in }
    let services: SessionFactory
    let desk: ApprovalDesk?

    /// Sets the gateway up; nothing listens until `run`.
    public init(
        config: GatewayConfig,
        limits: (any LimitStore)?,
        approvals: ApprovalChannel?,
        audit: (any AuditStore)?,
        pins: PinKeeper? = nil,
        metrics: WardenMetrics?,
        logger: Logger
    ) async throws {
        if !config.requiresCredentials, !config.listen.isLoopback {
            throw GatewayError(
                "refusing to listen on \(config.listen) without `agents:` or `jwt:`: anyone who can reach it could call the upstream servers; add agent keys or listen on 127.0.0.1"
            )
        }
        self.config = config
        self.logger = logger
        let authenticator = try await AgentAuthenticator(agents: config.agents, jwt: config.jwt)
        self.services = SessionFactory(
            config: config,
            limits: limits,
            approvals: approvals,
            audit: audit,
            pins: pins,
            metrics: metrics,
            authenticator: authenticator,
            // One group for the HTTP server and the sessions: a session lives on the loop of the connection that
            // opened it, so a call on that connection is read, decided, forwarded and answered on one thread.
            group: MultiThreadedEventLoopGroup(numberOfThreads: config.eventLoops),
            logger: logger
        )
        if let approvals, config.consoleTokenSHA256 != nil || config.adminTokenSHA256 != nil {
            desk = ApprovalDesk(
                store: approvals.store,
                consoleTokenSHA256: config.consoleTokenSHA256,
                consoleUser: config.consoleUser,
                adminTokenSHA256: config.adminTokenSHA256,
                pins: pins.map(PinDesk.init(keeper:))
            )
        } else {
            desk = nil
        }
    }

    /// Serves until the enclosing service group shuts down gracefully, then lets in-flight requests finish, ends
    /// every session and returns.
    public func run() async throws {
        let onListening = self.onListening
        let services = self.services
        let aggregates = AggregateRegistry()
        let router = makeRouter(aggregates: aggregates)
        let app = Application(
            router: router,
            server: GuardedHTTP1Channel.builder(
                count: ConnectionCount(limit: config.maxConnections),
                headerTimeout: config.headerTimeout,
                keepAliveTimeout: config.keepAliveTimeout
            ),
            configuration: ApplicationConfiguration(
                address: .hostname(config.listen.host, port: config.listen.port),
                serverName: "warden"
            ),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            eventLoopGroupProvider: .shared(services.group),
            logger: logger
        )
        let handlers = HandlersOnEventLoops(app: app, executor: EventLoopTaskExecutor(fallback: services.group))
        // The server and its helpers run in a group of their own, in a detached task so that the enclosing group's
        // shutdown does not reach them directly; the handler below cancels it if this task is cancelled. On shutdown
        // the server goes first (a group stops its services in reverse order): its listener closes at once, and it
        // ends once every response has, while the sessions drain beside it and the sweeper still expires calls.
        let group = ServiceGroup(
            configuration: .init(
                services: [SessionSweeper(services: services, aggregates: aggregates), PolicyWatchers(services: services), handlers],
                gracefulShutdownSignals: [],
                logger: logger
            )
        )
        let server = Task.detached { try await group.run() }
        let logger = self.logger
        var failure: (any Error)?
        do {
            try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: Bool.self) { tasks in
                    tasks.addTask {
                        try await server.value
                        return true
                    }
                    tasks.addTask {
                        try await gracefulShutdown()
                        services.draining.store(true, ordering: .relaxed)
                        logger.notice("shutting down: new requests are refused; calls in flight may finish")
                        await group.triggerGracefulShutdown()
                        await Self.drain(services, also: aggregates.innerSessions, within: .seconds(30))
                        for session in aggregates.removeAll(where: { _ in true }) {
                            await session.close(reason: "the gateway is shutting down") { services.ended($0) }
                        }
                        return false
                    }
                    // The server ending first means it failed: stop. Else the drain is done, and the server gets a
                    // few seconds to write its last responses (a client that does not read would hold it forever).
                    if try await tasks.next() == false {
                        tasks.addTask {
                            try await Task.sleep(for: .seconds(10))
                            return false
                        }
                        _ = try await tasks.next()
                    }
                    tasks.cancelAll()
                    server.cancel()
                }
            } onCancel: {
                server.cancel()
            }
        } catch {
            failure = error
        }
        _ = try? await server.value
        await releaseResources()
        if let failure { throw failure }
    }

    /// How long a child may take to exit after its stdin closes, and then after SIGTERM, when the gateway stops.
    static let childStopGrace: Duration = .seconds(3)

    /// Ends the sessions left, stops every child process and waits for it, then stops the HTTP client and the event
    /// loops; the last step of ``run()``, and of tests that never run it.
    func releaseResources() async {
        for session in services.registry.all {
            services.registry.remove(id: session.id)
            try? await session.loop.submit { session.close(reason: "the gateway is shutting down") }.get()
            services.ended(session)
        }
        // While the event loops still run: a child that ignores its stdin closing gets SIGTERM, then SIGKILL.
        await services.children.stopAll(grace: Self.childStopGrace)
        try? await services.httpClient.shutdown()
        try? await services.group.shutdownGracefully()
    }

    /// Ends every event stream, waits (bounded) for the calls in flight, then ends every session.
    static func drain(_ services: SessionFactory, also others: [GatewaySession] = [], within grace: Duration) async {
        services.draining.store(true, ordering: .relaxed)
        for session in services.registry.all + others {
            try? await session.loop.submit { session.endStreams() }.get()
        }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            var pending = 0
            for session in services.registry.all + others {
                // A call whose client left has nobody to answer: it does not hold the shutdown up.
                pending += (try? await session.loop.submit { session.liveRequests }.get()) ?? 0
            }
            if pending == 0 { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        for session in services.registry.all {
            services.registry.remove(id: session.id)
            try? await session.loop.submit { session.close(reason: "the gateway is shutting down") }.get()
            services.ended(session)
        }
    }
}

/// The HTTP server, with its connection handlers' async code on event loops (see `EventLoopTaskExecutor`).
struct HandlersOnEventLoops<Server: Service>: Service {
    let app: Server
    let executor: EventLoopTaskExecutor

    func run() async throws {
        try await withTaskExecutorPreference(executor) { try await app.run() }
    }
}

extension String {
    var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}

/// Reloads each server's policy file when it changes; an edit that does not load is refused and logged, and the
/// previous policy stays in force. Inline policies change only with a restart.
struct PolicyWatchers: Service {
    let services: SessionFactory

    func run() async throws {
        let watchers = services.config.servers.compactMap { server -> PolicyWatcher? in
            guard let path = server.policyPath, let holder = services.policies[server.name] else { return nil }
            let logger = services.logger.with(["server.name": "\(server.name)"])
            return PolicyWatcher(path: path, holder: holder, logger: logger)
        }
        // The watchers loop until cancelled; graceful shutdown cancels them.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for watcher in watchers { group.addTask { await watcher.run() } }
                if watchers.isEmpty {
                    // Nothing to watch: wait for shutdown like the other services.
                    group.addTask { while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) } }
                }
                await group.waitForAll()
            }
        }
    }
}

/// Ends sessions that sat idle longer than the configured timeout, and answers overdue calls.
struct SessionSweeper: Service {
    let services: SessionFactory
    let aggregates: AggregateRegistry

    func run() async throws {
        let timeout = services.config.sessionIdleTimeout
        let idleNanoseconds = Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        var period: Duration = .milliseconds(min(1000, max(50, idleNanoseconds / 4_000_000)))
        if let callTimeout = services.callTimeout { period = min(period, max(.milliseconds(100), callTimeout / 20)) }
        while !Task.isCancelledOrShuttingDown {
            try? await Task.sleep(for: period)
            let now = NIODeadline.now()
            for session in aggregates.removeAll(where: { $0.idleFor >= timeout }) {
                services.quota.release(key: session.id)
                await session.close(reason: "the session idled out") { services.ended($0) }
            }
            for session in services.registry.all {
                let expired = try? await session.loop.submit { () -> Bool in
                    if session.hasCallTimeout { session.expireOverdueCalls() }
                    // Calls in flight keep a session only while a client waits for them; once it has left, they
                    // are cancelled upstream and the session goes like any idle one.
                    guard session.clientIsGone, (now - session.lastActive).nanoseconds >= idleNanoseconds else { return false }
                    session.cancelAbandoned(reason: "the client left and the session idled out")
                    session.close(reason: "the session idled out")
                    return true
                }.get()
                if expired == true {
                    services.registry.remove(id: session.id)
                    services.ended(session)
                    services.logger.info("session idled out", metadata: ["session.id": "\(session.id)"])
                }
            }
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
