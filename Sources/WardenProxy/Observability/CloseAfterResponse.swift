import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection once the answer to a request or response that says `Connection: close` is written.
///
/// The server by itself only half-closes after a `Connection: close` request, so the connection (and its slot) would
/// last until the client closed its end; and a request refused halfway (its body too large) must not leave the rest
/// of it on the wire.
final class CloseAfterResponse: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var closesAfterEnd = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), head.headerFields[.connection]?.lowercased() == "close" {
            closesAfterEnd = true
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.headerFields[.connection]?.lowercased() == "close" { closesAfterEnd = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closesAfterEnd else {
                context.write(data, promise: promise)
                return
            }
            closesAfterEnd = false
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            written.futureResult.whenComplete { _ in loopBound.value.close(promise: nil) }
            context.writeAndFlush(data, promise: written)
        }
    }
}

@available(*, unavailable)
extension CloseAfterResponse: Sendable {}
