import Dispatch
public import Foundation
public import Logging
public import NIOCore
import Synchronization
import NIOPosix
import WardenMCP

/// Settings of the stdio proxy (`warden run`).
public struct StdioProxyConfiguration: Sendable {
    /// The largest message accepted from either side, in bytes. Default 4 MiB.
    public var maxMessageSize: Int = 4 * 1024 * 1024
    /// How long the upstream may take to exit after its stdin closes before it gets SIGTERM (then as long again
    /// before SIGKILL). Default 5 seconds.
    public var shutdownGrace: TimeAmount = .seconds(5)
    /// How long to wait for the upstream's stdout to close after it exited. Default 2 seconds.
    public var drainGrace: TimeAmount = .seconds(2)

    public init() {}
}

/// Runs one stdio session: the agent's client on Warden's stdin/stdout, the upstream server as a child process.
public enum StdioProxy {
    /// Relays until the upstream exits, and returns its exit status.
    ///
    /// SIGINT, SIGTERM and SIGHUP sent to Warden are forwarded to the upstream. When the client closes its
    /// input, the upstream's stdin is closed too, and it is asked to stop with SIGTERM, then SIGKILL, if it
    /// lingers. Requests the upstream leaves unanswered get a JSON-RPC error.
    public static func run(
        upstream child: ChildProcess,
        clientInput: CInt = STDIN_FILENO,
        clientOutput: CInt = STDOUT_FILENO,
        configuration: StdioProxyConfiguration = StdioProxyConfiguration(),
        logger: Logger,
        makeInterceptor: @escaping @Sendable () -> SessionInterceptor
    ) async throws -> Int32 {
        let signals = SignalForwarder(child: child)
        defer { signals.stop() }
        let exit = ChildExitWatcher(child: child)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let relay = try await loop.submit {
            StdioRelay(loop: loop, interceptor: makeInterceptor(), logger: logger)
        }.get()

        do {
            let maxMessageSize = configuration.maxMessageSize
            let serverChannel = try await makeChannel(
                on: loop,
                relay: relay,
                side: .server,
                maxMessageSize: maxMessageSize,
                input: child.stdoutReader,
                output: child.stdinWriter
            )
            let clientChannel = try await makeChannel(
                on: loop,
                relay: relay,
                side: .client,
                maxMessageSize: maxMessageSize,
                input: try StdioBridge.readableDescriptor(clientInput),
                output: try StdioBridge.writableDescriptor(clientOutput)
            )

            // Overdue calls are checked a few times a second; the task ends with the event loop group.
            if try await loop.submit({ relay.hasCallTimeout }).get() {
                loop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { _ in relay.expireOverdueCalls() }
            }

            // A client that goes away first: give the upstream time to exit on its own, then insist.
            relay.clientInputClosed.futureResult.whenSuccess {
                loop.scheduleTask(in: configuration.shutdownGrace) {
                    guard !exit.hasExited else { return }
                    logger.notice("upstream still running after its stdin closed; sending SIGTERM")
                    child.signal(SIGTERM)
                    loop.scheduleTask(in: configuration.shutdownGrace) {
                        guard !exit.hasExited else { return }
                        logger.warning("upstream ignored SIGTERM; sending SIGKILL")
                        child.signal(SIGKILL)
                    }
                }
            }

            let status = await exit.status()
            // Its stdout may hold a last answer; a grandchild may also keep the pipe open, so do not wait forever.
            let drained = loop.makePromise(of: Void.self)
            relay.serverInputClosed.futureResult.cascade(to: drained)
            loop.scheduleTask(in: configuration.drainGrace) { drained.succeed() }
            try? await drained.futureResult.get()
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
            try? await serverChannel.close()
            try? await group.shutdownGracefully()
            return status
        } catch {
            child.signal(SIGTERM)
            _ = await exit.status()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func makeChannel(
        on loop: any EventLoop,
        relay: StdioRelay,
        side: StdioRelay.Side,
        maxMessageSize: Int,
        input: CInt,
        output: CInt
    ) async throws -> any Channel {
        let channel = try await LinePipe.open(on: loop, input: input, output: output, maxMessageSize: maxMessageSize) { channel, sync in
            try sync.addHandler(StdioRelayHandler(relay: relay, side: side))
            relay.attach(channel, as: side)
        }
        return channel
    }
}

/// Forwards the signals a user or client sends Warden to the upstream's process group.
final class SignalForwarder: @unchecked Sendable {
    // @unchecked: the sources are set once in init and only cancelled afterwards, which Dispatch allows from any thread.
    private let sources: [any DispatchSourceSignal]

    init(child: ChildProcess) {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { child.signal(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func stop() {
        for source in sources { source.cancel() }
    }
}

/// Waits for the upstream's exit on a thread of its own, since `waitpid` blocks.
public final class ChildExitWatcher: Sendable {
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    public init(child: ChildProcess) {
        // The thread ends when the child does; nothing else needs to cancel it.
        Thread.detachNewThread { [self] in
            let status = child.waitForExit()
            let waiters = self.state.withLock { value in
                value.status = status
                defer { value.waiters = [] }
                return value.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }
    }

    public var hasExited: Bool { state.withLock { $0.status != nil } }

    public func status() async -> Int32 {
        await withCheckedContinuation { continuation in
            let known = state.withLock { value -> Int32? in
                if let status = value.status { return status }
                value.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
