#if canImport(Glibc)
    public import Glibc
#elseif canImport(Musl)
    public import Musl
#elseif canImport(Darwin)
    public import Darwin
#endif
public import Logging
public import NIOCore
import NIOPosix
import WardenMCP

/// An upstream server run as a child process and spoken to over its stdin and stdout, on the session's loop.
///
/// The one way Warden talks to a child, for `warden run -- CMD` and for the gateway's stdio servers: the pipes are a
/// channel with backpressure, the child's stderr is Warden's own, and ending it closes its stdin, then escalates
/// (see `ChildExitWatcher.escalate`).
public final class StdioUpstream: SessionUpstream, @unchecked Sendable {
    // @unchecked: `finished` is touched only on `loop`; the rest is set once.
    private let loop: any EventLoop
    private let child: ChildProcess
    private let exit: ChildExitWatcher
    private let channel: any Channel
    private let shutdownGrace: TimeAmount
    private let drainGrace: TimeAmount
    private var finished = false
    private let logger: Logger
    private let newline = ByteBuffer(string: "\n")
    /// Completes when the child's stdout closes.
    private let outputClosed: EventLoopPromise<Void>

    private init(
        loop: any EventLoop,
        child: ChildProcess,
        exit: ChildExitWatcher,
        channel: any Channel,
        outputClosed: EventLoopPromise<Void>,
        shutdownGrace: TimeAmount,
        drainGrace: TimeAmount,
        logger: Logger
    ) {
        self.loop = loop
        self.child = child
        self.exit = exit
        self.channel = channel
        self.outputClosed = outputClosed
        self.shutdownGrace = shutdownGrace
        self.drainGrace = drainGrace
        self.logger = logger
    }

    /// Starts `command` and connects its pipes to `events` on `loop`.
    public static func start(
        command: [String],
        environment: [String: String],
        loop: any EventLoop,
        maxMessageSize: Int,
        events: any UpstreamEvents,
        logger: Logger
    ) async throws -> StdioUpstream {
        let child = try ChildProcess.spawn(command, environment: environment)
        return try await connect(child: child, loop: loop, maxMessageSize: maxMessageSize, events: events, logger: logger)
    }

    /// Connects a started child's pipes to `events` on `loop`.
    ///
    /// - Parameters:
    ///   - shutdownGrace: how long the child may take to exit after its stdin closes before it gets SIGTERM (then as
    ///     long again before SIGKILL).
    ///   - drainGrace: how long `ended()` waits for its stdout to close after it exited (a grandchild may hold it open).
    public static func connect(
        child: ChildProcess,
        loop: any EventLoop,
        maxMessageSize: Int,
        shutdownGrace: TimeAmount = .seconds(5),
        drainGrace: TimeAmount = .seconds(2),
        events: any UpstreamEvents,
        logger: Logger
    ) async throws -> StdioUpstream {
        let exit = ChildExitWatcher(child: child)
        let outputClosed = loop.makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await LinePipe.open(
                on: loop,
                input: child.stdoutReader,
                output: child.stdinWriter,
                maxMessageSize: maxMessageSize
            ) { _, sync in
                try sync.addHandler(UpstreamFrameHandler(events: events) { outputClosed.succeed() })
            }
        } catch {
            outputClosed.succeed()
            child.signal(SIGKILL)
            _ = await exit.status()
            throw error
        }
        return StdioUpstream(
            loop: loop,
            child: child,
            exit: exit,
            channel: channel,
            outputClosed: outputClosed,
            shutdownGrace: shutdownGrace,
            drainGrace: drainGrace,
            logger: logger
        )
    }

    public func send(_ message: ByteBuffer) {
        write(message)
        flush()
    }

    public func write(_ message: ByteBuffer) {
        guard !finished else { return }
        channel.write(message, promise: nil)
        channel.write(newline, promise: nil)
    }

    public func flush() {
        channel.flush()
    }

    public var isWritable: Bool { channel.isWritable }

    public func readMore() {
        channel.read()
    }

    public var pausesReading: Bool { true }

    /// Whether the child has exited.
    public var hasExited: Bool { exit.hasExited }

    /// Stops the child for good, for a process that is about to exit: closes its stdin, then sends SIGTERM after
    /// `grace` and SIGKILL as long again later, and returns once it has exited.
    ///
    /// Unlike the escalation ``finish()`` schedules on the event loop, this one runs on the caller's task, so it
    /// completes even when the event loops stop first, and no child outlives Warden.
    public func stop(grace: Duration) async {
        loop.execute { self.finish() }
        defer { channel.close(promise: nil) }
        if await waitForExit(within: grace) { return }
        logger.notice("upstream still running after its stdin closed; sending SIGTERM", metadata: ["pid": "\(child.pid)"])
        child.signal(SIGTERM)
        if await waitForExit(within: grace) { return }
        logger.warning("upstream ignored SIGTERM; sending SIGKILL", metadata: ["pid": "\(child.pid)"])
        child.signal(SIGKILL)
        _ = await waitForExit(within: .seconds(10))
    }

    /// Polls for the child's exit (a `waitpid` on the watcher's thread reports it), for at most `limit`.
    private func waitForExit(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !exit.hasExited {
            guard ContinuousClock.now < deadline else { return false }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                // Cancelled: no more waiting; the caller escalates at once.
                return exit.hasExited
            }
        }
        return true
    }

    /// Closes the child's stdin, then asks it with SIGTERM, then SIGKILL, if it lingers. The owner then awaits `ended()`.
    public func finish() {
        guard !finished else { return }
        finished = true
        channel.close(mode: .output, promise: nil)
        exit.escalate(child, on: loop, grace: shutdownGrace, logger: logger)
    }

    /// Finishes the child, and releases its pipes once it has exited, for a session that will not wait for it.
    public func close() {
        guard !finished else { return }
        finish()
        let exit = self.exit
        let channel = self.channel
        // Ends when the child does.
        Task {
            _ = await exit.status()
            try? await channel.close()
        }
    }

    /// The child's status once it has exited and its stdout is drained (or `drainGrace` passed); the pipes are
    /// closed then.
    public func ended() async -> Int32 {
        let status = await exit.status()
        // Its stdout may hold a last answer; a grandchild may also keep the pipe open, so do not wait forever.
        let drained = loop.makePromise(of: Void.self)
        outputClosed.futureResult.cascade(to: drained)
        loop.scheduleTask(in: drainGrace) { drained.succeed() }
        try? await drained.futureResult.get()
        try? await channel.close()
        return status
    }

    public var pid: pid_t { child.pid }
}
