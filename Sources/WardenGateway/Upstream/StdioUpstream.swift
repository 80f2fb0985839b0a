import Foundation
import Logging
import NIOCore
import NIOPosix
import WardenMCP
import WardenProxy

/// An upstream server run as a child process and spoken to over its stdin and stdout, on the session's loop.
final class StdioUpstream: UpstreamLink, @unchecked Sendable {
    // @unchecked: `channel` and `closed` are touched only on `loop`.
    private let loop: any EventLoop
    private let child: ChildProcess
    private let exit: ChildExitWatcher
    private var channel: (any Channel)?
    private var closed = false
    private let logger: Logger
    private let newline = ByteBuffer(string: "\n")

    private init(loop: any EventLoop, child: ChildProcess, logger: Logger) {
        self.loop = loop
        self.child = child
        self.exit = ChildExitWatcher(child: child)
        self.logger = logger
    }

    /// Starts `command` and connects its pipes to `events` on `loop`.
    static func start(
        command: [String],
        environment: [String: String],
        loop: any EventLoop,
        maxMessageSize: Int,
        events: any UpstreamEvents,
        logger: Logger
    ) async throws -> StdioUpstream {
        let child = try ChildProcess.spawn(command, environment: environment)
        let upstream = StdioUpstream(loop: loop, child: child, logger: logger)
        do {
            let channel = try await LinePipe.open(
                on: loop,
                input: child.stdoutReader,
                output: child.stdinWriter,
                maxMessageSize: maxMessageSize
            ) { _, sync in
                try sync.addHandler(UpstreamFrameHandler(events: events))
            }
            try await loop.submit { upstream.channel = channel }.get()
        } catch {
            child.signal(SIGKILL)
            _ = await upstream.exit.status()
            throw error
        }
        return upstream
    }

    func send(_ message: ByteBuffer) {
        guard let channel, !closed else { return }
        channel.write(message, promise: nil)
        channel.writeAndFlush(newline, promise: nil)
    }

    /// Closes the child's stdin, then asks it with SIGTERM, then SIGKILL, if it lingers.
    func close() {
        guard !closed else { return }
        closed = true
        channel?.close(mode: .output, promise: nil)
        let child = self.child
        let exit = self.exit
        let logger = self.logger
        loop.scheduleTask(in: .seconds(2)) {
            guard !exit.hasExited else { return }
            logger.notice("upstream still running after its stdin closed; sending SIGTERM", metadata: ["pid": "\(child.pid)"])
            child.signal(SIGTERM)
        }
        loop.scheduleTask(in: .seconds(5)) {
            guard !exit.hasExited else { return }
            logger.warning("upstream ignored SIGTERM; sending SIGKILL", metadata: ["pid": "\(child.pid)"])
            child.signal(SIGKILL)
        }
        let channel = self.channel
        Task {
            _ = await exit.status()
            try? await channel?.close()
        }
    }

    var pid: pid_t { child.pid }
}

/// Hands a child's framed stdout lines to its session, and tells it when the pipe closes.
final class UpstreamFrameHandler: ChannelInboundHandler {
    typealias InboundIn = FramedMessage
    private let events: any UpstreamEvents
    private var reported = false

    init(events: any UpstreamEvents) {
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        events.upstreamMessage(unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { report("the upstream process closed its output") }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        report("the upstream process exited")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        report("the upstream pipe failed: \(error)")
        context.close(promise: nil)
    }

    private func report(_ reason: String) {
        guard !reported else { return }
        reported = true
        events.upstreamClosed(reason: reason)
    }
}
