import Logging
import NIOCore
import WardenMCP

/// The two ends of a stdio session and the interceptor between them, confined to one event loop.
///
/// Both channels live on the same loop, so a message read from one side is judged and written to the other
/// without a thread hop; the writes are flushed once per read burst.
final class StdioRelay: @unchecked Sendable {
    // @unchecked: every stored property is touched only on `loop`; the initializer and the handlers assert it.
    enum Side { case client, server }

    let loop: any EventLoop
    private var driver: InterceptorDriver!
    private let logger: Logger
    private var clientChannel: (any Channel)?
    private var serverChannel: (any Channel)?
    private var clientNeedsFlush = false
    private var serverNeedsFlush = false
    private var clientReadPaused = false
    private var serverReadPaused = false
    private var serverClosed = false
    private var clientClosed = false
    private let newline: ByteBuffer
    /// Completes when the last message written to the client has left the process.
    private(set) var lastClientWrite: EventLoopFuture<Void>
    let clientInputClosed: EventLoopPromise<Void>
    let serverInputClosed: EventLoopPromise<Void>

    init(loop: any EventLoop, interceptor: SessionInterceptor, logger: Logger) {
        self.loop = loop
        self.logger = logger
        self.newline = ByteBuffer(string: "\n")
        self.lastClientWrite = loop.makeSucceededVoidFuture()
        self.clientInputClosed = loop.makePromise()
        self.serverInputClosed = loop.makePromise()
        self.driver = InterceptorDriver(loop: loop, interceptor: interceptor) { [unowned self] deliveries, flushNow in
            self.write(deliveries)
            if flushNow { self.flush() }
        }
    }

    func attach(_ channel: any Channel, as side: Side) {
        loop.preconditionInEventLoop()
        switch side {
        case .client: clientChannel = channel
        case .server: serverChannel = channel
        }
        // A side that asked to read before its partner existed reads now.
        writabilityChanged(side)
    }

    private func channel(_ side: Side) -> (any Channel)? {
        side == .client ? clientChannel : serverChannel
    }

    // MARK: Events from the handlers

    func received(_ frame: FramedMessage, from side: Side) {
        switch side {
        case .client: driver.fromClient(frame)
        case .server: driver.fromServer(frame)
        }
    }

    /// Answers overdue calls; the proxy runs this a few times a second when a call timeout is set.
    func expireOverdueCalls() {
        guard !serverClosed else { return }
        driver.expireOverdueCalls()
    }

    var hasCallTimeout: Bool { driver.hasCallTimeout }

    /// The store operations still running; the session waits for them before it ends.
    var outstandingWork: [Task<Void, Never>] { driver.outstandingWork }

    func readComplete() {
        flush()
    }

    /// Whether the side may read more now: not while the other side cannot take what it would produce.
    func mayRead(_ side: Side) -> Bool {
        let other = channel(side == .client ? .server : .client)
        if let other, other.isWritable { return true }
        if side == .client { clientReadPaused = true } else { serverReadPaused = true }
        return false
    }

    func writabilityChanged(_ side: Side) {
        guard let channel = channel(side), channel.isWritable else { return }
        // The side that was waiting for this one may read again.
        if side == .server, clientReadPaused {
            clientReadPaused = false
            clientChannel?.read()
        } else if side == .client, serverReadPaused {
            serverReadPaused = false
            serverChannel?.read()
        }
    }

    func inputClosed(_ side: Side) {
        switch side {
        case .client:
            guard !clientClosed else { return }
            clientClosed = true
            logger.debug("client closed its input; closing the upstream's stdin")
            serverChannel?.close(mode: .output, promise: nil)
            clientInputClosed.succeed()
        case .server:
            upstreamGone()
        }
    }

    /// The upstream will send nothing more: fail what it left unanswered.
    func upstreamGone() {
        guard !serverClosed else { return }
        serverClosed = true
        driver.upstreamClosed()
        serverInputClosed.succeed()
    }

    func channelFailed(_ side: Side, error: any Error) {
        logger.debug("stdio channel error", metadata: ["side": "\(side)", "error": "\(error)"])
    }

    // MARK: Writing

    private func write(_ deliveries: [Delivery]) {
        for delivery in deliveries {
            let isClient = delivery.destination == .client
            guard let channel = isClient ? clientChannel : serverChannel else { continue }
            if !isClient && serverClosed { continue }
            let buffer = delivery.payload.buffer
            channel.write(buffer, promise: nil)
            if isClient {
                let promise = loop.makePromise(of: Void.self)
                channel.write(newline, promise: promise)
                lastClientWrite = promise.futureResult
                clientNeedsFlush = true
            } else {
                channel.write(newline, promise: nil)
                serverNeedsFlush = true
            }
        }
    }

    func flush() {
        if clientNeedsFlush {
            clientNeedsFlush = false
            clientChannel?.flush()
        }
        if serverNeedsFlush {
            serverNeedsFlush = false
            serverChannel?.flush()
        }
    }
}

/// Feeds one channel's framed messages into the relay and holds back reads while the other side is full.
final class StdioRelayHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = FramedMessage
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let relay: StdioRelay
    private let side: StdioRelay.Side

    init(relay: StdioRelay, side: StdioRelay.Side) {
        self.relay = relay
        self.side = side
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        relay.received(unwrapInboundIn(data), from: side)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        relay.readComplete()
    }

    func read(context: ChannelHandlerContext) {
        if relay.mayRead(side) { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        relay.writabilityChanged(side)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            relay.inputClosed(side)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        relay.inputClosed(side)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        relay.channelFailed(side, error: error)
        context.close(promise: nil)
    }
}
