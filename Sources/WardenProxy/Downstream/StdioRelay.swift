import Logging
import NIOCore
import WardenMCP

/// The client's end of a stdio session, the upstream link and the interceptor between them, confined to one loop.
///
/// A message read from one side is judged and written to the other without a thread hop; the writes are flushed
/// once per read burst. Neither side is read while either side cannot take more: a message read from the client
/// may be answered by Warden itself (a denial, an error) as well as forwarded, so a client that writes without
/// reading is held back by its own full output as much as by a full server, and what Warden buffers for a peer
/// stays within the channels' write-buffer water marks whoever produced it. A remote server buffers per request.
final class StdioRelay: UpstreamEvents, @unchecked Sendable {
    // @unchecked: every stored property is touched only on `loop`; the initializer and the handlers assert it.
    let loop: any EventLoop
    private var driver: InterceptorDriver!
    private let logger: Logger
    private var clientChannel: (any Channel)?
    private var upstream: (any SessionUpstream)?
    private var clientNeedsFlush = false
    private var upstreamNeedsFlush = false
    private var clientReadPaused = false
    private var upstreamReadPaused = false
    private var upstreamIsGone = false
    private var clientClosed = false
    /// The client is done but calls still wait for Warden's own tools/list: the upstream finishes once they went.
    private var finishWhenListed = false
    private let newline: ByteBuffer
    /// Completes when the last message written to the client has left the process.
    private(set) var lastClientWrite: EventLoopFuture<Void>

    init(loop: any EventLoop, interceptor: SessionInterceptor, logger: Logger) {
        self.loop = loop
        self.logger = logger
        self.newline = ByteBuffer(string: "\n")
        self.lastClientWrite = loop.makeSucceededVoidFuture()
        self.driver = InterceptorDriver(loop: loop, interceptor: interceptor) { [unowned self] deliveries, flushNow in
            self.write(deliveries)
            if flushNow { self.flush() }
            if self.finishWhenListed, !self.driver.interceptor.hasCallsAwaitingDefinitions {
                self.finishWhenListed = false
                self.flush()
                self.upstream?.finish()
            }
        }
    }

    func attach(upstream link: any SessionUpstream) {
        loop.preconditionInEventLoop()
        upstream = link
    }

    func attach(client channel: any Channel) {
        loop.preconditionInEventLoop()
        clientChannel = channel
        // The upstream asked to read before its client existed: it reads now.
        clientWritabilityChanged()
    }

    /// Answers overdue calls; the proxy runs this a few times a second when a call timeout is set.
    func expireOverdueCalls() {
        guard !upstreamIsGone else { return }
        driver.expireOverdueCalls()
    }

    var hasCallTimeout: Bool { driver.hasCallTimeout }

    /// The store operations still running; the session waits for them before it ends.
    var outstandingWork: [Task<Void, Never>] { driver.outstandingWork }

    // MARK: The client

    func fromClient(_ frame: FramedMessage) {
        driver.fromClient(frame)
    }

    /// Whether the client may be read now: only while both sides can take more, since what it sends may be forwarded
    /// or answered by Warden itself.
    func clientMayRead() -> Bool {
        if let upstream, upstream.isWritable, let clientChannel, clientChannel.isWritable { return true }
        clientReadPaused = true
        return false
    }

    func clientWritabilityChanged() {
        resumeReading()
    }

    /// Reads again from each side that was held back, once both sides can take more.
    private func resumeReading() {
        guard let clientChannel, clientChannel.isWritable, let upstream, upstream.isWritable else { return }
        if upstreamReadPaused {
            upstreamReadPaused = false
            upstream.readMore()
        }
        if clientReadPaused {
            clientReadPaused = false
            clientChannel.read()
        }
    }

    /// The client will send nothing more: the upstream is asked to finish, the one way a session ends from this side.
    func clientInputClosed() {
        guard !clientClosed else { return }
        clientClosed = true
        if driver.interceptor.hasCallsAwaitingDefinitions {
            logger.debug("client closed its input; the upstream finishes once Warden's own tools/list is answered")
            finishWhenListed = true
            return
        }
        logger.debug("client closed its input; finishing the upstream")
        upstream?.finish()
    }

    func clientFailed(_ error: any Error) {
        logger.debug("stdio channel error", metadata: ["side": "client", "error": "\(error)"])
    }

    // MARK: The upstream

    func upstreamMessage(_ frame: FramedMessage) {
        driver.fromServer(frame)
    }

    func upstreamReadComplete() {
        flush()
    }

    /// Whether the server may be read now: only while both sides can take more, since what it sends goes to the
    /// client or, for a request Warden answers itself, back to the server.
    func upstreamMayRead() -> Bool {
        if let clientChannel, clientChannel.isWritable, let upstream, upstream.isWritable { return true }
        upstreamReadPaused = true
        return false
    }

    func upstreamWritabilityChanged() {
        resumeReading()
    }

    func upstreamClosed(reason: String) {
        logger.debug("upstream closed", metadata: ["reason": "\(reason)"])
        upstreamGone()
    }

    /// The upstream will send nothing more: fail what it left unanswered.
    func upstreamGone() {
        guard !upstreamIsGone else { return }
        upstreamIsGone = true
        driver.upstreamClosed()
    }

    // MARK: Writing

    private func write(_ deliveries: [Delivery]) {
        for delivery in deliveries {
            let buffer = delivery.payload.buffer
            if delivery.destination == .client {
                guard let clientChannel else { continue }
                clientChannel.write(buffer, promise: nil)
                let promise = loop.makePromise(of: Void.self)
                clientChannel.write(newline, promise: promise)
                lastClientWrite = promise.futureResult
                clientNeedsFlush = true
            } else {
                guard let upstream, !upstreamIsGone else { continue }
                upstream.write(buffer)
                upstreamNeedsFlush = true
            }
        }
    }

    func flush() {
        if clientNeedsFlush {
            clientNeedsFlush = false
            clientChannel?.flush()
        }
        if upstreamNeedsFlush {
            upstreamNeedsFlush = false
            upstream?.flush()
        }
    }
}

/// Feeds the client's framed messages into the relay and holds back reads while the upstream is full.
final class StdioRelayHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = FramedMessage
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let relay: StdioRelay

    init(relay: StdioRelay) {
        self.relay = relay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        relay.fromClient(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        relay.flush()
    }

    func read(context: ChannelHandlerContext) {
        if relay.clientMayRead() { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        relay.clientWritabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            relay.clientInputClosed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        relay.clientInputClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        relay.clientFailed(error)
        context.close(promise: nil)
    }
}
