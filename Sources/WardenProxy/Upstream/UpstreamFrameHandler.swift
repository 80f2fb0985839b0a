import NIOCore
import WardenMCP

/// Hands a child's framed stdout lines to its session, holds back reads while the session's client is full, and
/// tells the session when the pipe closes.
final class UpstreamFrameHandler: ChannelDuplexHandler {
    typealias InboundIn = FramedMessage
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let events: any UpstreamEvents
    private let onClose: () -> Void
    private var reported = false

    init(events: any UpstreamEvents, onClose: @escaping () -> Void) {
        self.events = events
        self.onClose = onClose
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        events.upstreamMessage(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        events.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if events.upstreamMayRead() { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { events.upstreamWritabilityChanged() }
        context.fireChannelWritabilityChanged()
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
        onClose()
        events.upstreamClosed(reason: reason)
    }
}
