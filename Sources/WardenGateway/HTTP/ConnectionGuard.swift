import NIOCore
import NIOHTTP1
import Synchronization
import WardenMCP

/// The open connections of one gateway, counted so that one past `max_connections` is turned away.
final class ConnectionCount: Sendable {
    let limit: Int
    private let connections = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection; false when it is one too many (it is counted anyway, and released like any other).
    func open() -> Bool { connections.wrappingAdd(1, ordering: .relaxed).newValue <= limit }

    func close() { connections.wrappingSubtract(1, ordering: .relaxed) }

    var current: Int { connections.load(ordering: .relaxed) }
}

/// Keeps a connection from holding the gateway without using it: its first request head must arrive within the
/// header timeout, the next one within the keep-alive timeout of the last answer, and a request body must keep
/// coming; a connection past the connection cap gets a 503 and is closed.
///
/// It sits right after the HTTP/1 decoder, so it sees whole request heads: a client that trickles a head byte by
/// byte still has to finish it in time. Hummingbird's own idle timeout restarts on every part and has one duration
/// for the first request and the later ones, so it is not used. While an answer is being written (an event stream
/// may last as long as its session) no timer runs.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a connection past the cap may take to send the request it is refused.
    static let refusalGrace: TimeAmount = .seconds(1)

    private let count: ConnectionCount
    private let headerTimeout: TimeAmount
    private let keepAliveTimeout: TimeAmount
    private var isCounted = false
    private var isRefused = false
    private var refusalSent = false
    /// Requests whose head arrived and whose answer has not ended.
    private var inProgress = 0
    private var isReadingBody = false
    private var timer: Scheduled<Void>?
    /// Opens when the client hangs up (closes its side, or the connection ends), for handlers still working.
    let hangUp = ConnectionWatch.Gate()

    init(count: ConnectionCount, headerTimeout: TimeAmount, keepAliveTimeout: TimeAmount) {
        self.count = count
        self.headerTimeout = headerTimeout
        self.keepAliveTimeout = keepAliveTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { started(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        started(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopped()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopped()
        hangUp.open()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { hangUp.open() }
        context.fireUserInboundEventTriggered(event)
    }

    private func started(context: ChannelHandlerContext) {
        guard !isCounted else { return }
        isCounted = true
        if count.open() {
            arm(headerTimeout, context: context)
        } else {
            isRefused = true
            arm(Self.refusalGrace, context: context)
        }
    }

    private func stopped() {
        timer?.cancel()
        timer = nil
        if isCounted {
            isCounted = false
            count.close()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if isRefused {
            if case .head = part { refuse(context: context) }
            return
        }
        switch part {
        case .head:
            inProgress += 1
            isReadingBody = true
            arm(keepAliveTimeout, context: context)
        case .body:
            arm(keepAliveTimeout, context: context)
        case .end:
            isReadingBody = false
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), inProgress > 0 {
            inProgress -= 1
            if inProgress == 0, !isReadingBody { arm(keepAliveTimeout, context: context) }
        }
        context.write(data, promise: promise)
    }

    /// The 503 for a connection past the cap: it says which cap and how to raise it, then the connection closes.
    private func refuse(context: ChannelHandlerContext) {
        guard !refusalSent else { return }
        refusalSent = true
        let text = "the gateway already has \(count.limit) open connections, the most `max_connections` allows; "
            + "try again shortly, or raise `max_connections` in the gateway config"
        let body = ByteBuffer(bytes: JSONRPCMessage.error(id: nil, code: MCPEndpoint.capReached, message: "Connection limit reached: \(text)"))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Retry-After", value: "5")
        let head = HTTPResponseHead(version: .http1_1, status: .serviceUnavailable, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
    }

    private func arm(_ delay: TimeAmount, context: ChannelHandlerContext) {
        timer?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) { loopBound.value.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
