import NIOCore
import NIOHTTP1

/// Frames the answers of ``ObservabilityRoutes`` on one connection, and enforces the body limit and idle timeout.
final class ObservabilityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: ObservabilityRoutes
    private let maxBodySize: Int
    private var head: HTTPRequestHead?
    private var bodySize = 0
    /// Set once the connection is being closed; anything still arriving is ignored.
    private var isClosing = false

    init(routes: ObservabilityRoutes, maxBodySize: Int) {
        self.routes = routes
        self.maxBodySize = maxBodySize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            bodySize = 0
        case .body(let chunk):
            bodySize += chunk.readableBytes
            if bodySize > maxBodySize, let request = head {
                head = nil
                let body = Array("request body too large; these endpoints take none\n".utf8)
                write(ObservabilityRoutes.Response(status: .payloadTooLarge, body: body), to: request, keepAlive: false, context: context)
            }
        case .end:
            guard let request = head else { return }
            head = nil
            let response = routes.respond(method: request.method, uri: request.uri, authorization: request.headers.first(name: "Authorization"))
            write(response, to: request, keepAlive: request.isKeepAlive, context: context)
        }
    }

    private func write(_ response: ObservabilityRoutes.Response, to request: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        for (name, value) in response.extraHeaders { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            isClosing = true
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
