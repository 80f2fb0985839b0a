import AsyncHTTPClient
public import Foundation
public import Logging
public import NIOCore
import NIOPosix
import ServiceLifecycle
import WardenMCP

/// Settings of the stdio proxy (`warden run`).
public struct StdioProxyConfiguration: Sendable {
    /// The largest message accepted from either side, in bytes. Default 4 MiB.
    public var maxMessageSize: Int = 4 * 1024 * 1024
    /// How long a child may take to exit after its stdin closes before it gets SIGTERM (then as long again
    /// before SIGKILL). Default 5 seconds.
    public var shutdownGrace: TimeAmount = .seconds(5)
    /// How long to wait for a child's stdout to close after it exited. Default 2 seconds.
    public var drainGrace: TimeAmount = .seconds(2)
    /// How long a remote server may take to start answering a request. Default 300 seconds.
    public var remoteRequestTimeout: Duration = .seconds(300)
    /// How long answers from a remote server may take to arrive after the client closed its input. Default 5 seconds.
    public var remoteDrainTimeout: TimeAmount = .seconds(5)

    public init() {}
}

/// Runs one stdio session: the agent's client on Warden's stdin/stdout, and any upstream link behind it.
public enum StdioProxy {
    /// Relays until the upstream ends, and returns the status to exit with: a child's own, 0 for a remote server.
    ///
    /// When the client closes its input, the upstream is asked to finish (see `SessionUpstream.finish()`); a child
    /// that exits on its own ends the session too. Graceful shutdown of the enclosing service group finishes a
    /// remote server the same way; cancellation ends any upstream at once. Requests the upstream leaves unanswered get a JSON-RPC error.
    public static func run(
        upstream target: Upstream,
        clientInput: CInt = STDIN_FILENO,
        clientOutput: CInt = STDOUT_FILENO,
        configuration: StdioProxyConfiguration = StdioProxyConfiguration(),
        logger: Logger,
        makeInterceptor: @escaping @Sendable () -> SessionInterceptor
    ) async throws -> Int32 {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let relay = try await loop.submit { StdioRelay(loop: loop, interceptor: makeInterceptor(), logger: logger) }.get()
        let connection: Upstream.Connection
        do {
            connection = try await target.connect(
                Upstream.Context(group: group, loop: loop, events: relay, configuration: configuration, logger: logger)
            )
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let link = connection.link
        do {
            try await loop.submit { relay.attach(upstream: link) }.get()
            let clientChannel = try await LinePipe.open(
                on: loop,
                input: try StdioBridge.readableDescriptor(clientInput),
                output: try StdioBridge.writableDescriptor(clientOutput),
                maxMessageSize: configuration.maxMessageSize
            ) { channel, sync in
                try sync.addHandler(StdioRelayHandler(relay: relay))
                relay.attach(client: channel)
            }

            // Overdue calls are checked a few times a second; the task ends with the event loop group.
            if try await loop.submit({ relay.hasCallTimeout }).get() {
                loop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { _ in relay.expireOverdueCalls() }
            }

            let finishesOnShutdown = target.finishesOnShutdown
            let status = await withGracefulShutdownHandler {
                await withTaskCancellationHandler {
                    await link.ended()
                } onCancel: {
                    // Warden stops at once (another part of it failed to start): the upstream is ended now.
                    loop.execute { link.close() }
                }
            } onGracefulShutdown: {
                // A child gets the signal itself (see `Upstream.process(_:)`) and decides when to stop; a remote
                // server is finished as if the client had closed its input, so the answers in flight still arrive.
                guard finishesOnShutdown else { return }
                loop.execute { relay.clientInputClosed() }
            }
            try await loop.submit { relay.upstreamGone() }.get()
            // Settle the limits of calls that ended with the upstream before the process goes.
            for _ in 0..<10 {
                let outstanding = try await loop.submit { relay.outstandingWork }.get()
                if outstanding.isEmpty { break }
                // Calls still held for a person are withdrawn: nobody is left to answer them.
                for task in outstanding { task.cancel() }
                for task in outstanding { await task.value }
            }
            try? await loop.flatSubmit { relay.lastClientWrite }.get()
            try? await clientChannel.close()
            await connection.release()
            try? await group.shutdownGracefully()
            return status
        } catch {
            await connection.abandon()
            await connection.release()
            try? await group.shutdownGracefully()
            throw error
        }
    }
}

extension StdioProxy {
    /// The server a stdio session is put in front of: a child process, or a remote Streamable HTTP server.
    public struct Upstream: Sendable {
        struct Context {
            let group: any EventLoopGroup
            let loop: any EventLoop
            let events: any UpstreamEvents
            let configuration: StdioProxyConfiguration
            let logger: Logger
        }

        struct Connection {
            let link: any SessionUpstream
            /// Frees what the connection holds once the session is over.
            let release: @Sendable () async -> Void
            /// Stops the upstream at once, when the session could not start.
            let abandon: @Sendable () async -> Void
        }

        let connect: @Sendable (Context) async throws -> Connection
        let stopUnconnected: @Sendable () async -> Void
        /// Whether graceful shutdown finishes the session: not for a child, which gets Warden's signals itself.
        let finishesOnShutdown: Bool

        /// Stops an upstream whose session never started (a child is sent SIGTERM and waited for).
        public func abandon() async {
            await stopUnconnected()
        }

        /// A child already started. SIGINT, SIGTERM and SIGHUP sent to Warden are forwarded to it while the session
        /// lasts, and its exit status is the session's.
        public static func process(_ child: ChildProcess) -> Upstream {
            Upstream(
                connect: { context in
                    let signals = SignalForwarder(child: child)
                    let link: StdioUpstream
                    do {
                        link = try await StdioUpstream.connect(
                            child: child,
                            loop: context.loop,
                            maxMessageSize: context.configuration.maxMessageSize,
                            shutdownGrace: context.configuration.shutdownGrace,
                            drainGrace: context.configuration.drainGrace,
                            events: context.events,
                            logger: context.logger
                        )
                    } catch {
                        signals.stop()
                        throw error
                    }
                    return Connection(link: link) {
                        signals.stop()
                    } abandon: {
                        child.signal(SIGTERM)
                        _ = await link.ended()
                    }
                },
                stopUnconnected: {
                    child.signal(SIGTERM)
                    _ = await ChildExitWatcher(child: child).status()
                },
                finishesOnShutdown: false
            )
        }

        /// A remote Streamable HTTP server; `headers` (its credentials) go with every request.
        public static func remote(url: URL, headers: [(String, String)]) -> Upstream {
            Upstream(
                connect: { context in
                    let client = HTTPUpstream.makeClient(group: context.group)
                    let link = HTTPUpstream(
                        url: url,
                        headers: headers,
                        client: client,
                        loop: context.loop,
                        events: context.events,
                        maxMessageSize: context.configuration.maxMessageSize,
                        requestTimeout: context.configuration.remoteRequestTimeout,
                        drainTimeout: context.configuration.remoteDrainTimeout,
                        logger: context.logger
                    )
                    let loop = context.loop
                    return Connection(link: link) {
                        try? await client.shutdown()
                    } abandon: {
                        try? await loop.submit { link.close() }.get()
                    }
                },
                stopUnconnected: {},
                finishesOnShutdown: true
            )
        }
    }
}
