import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 server for `/metrics`, `/healthz` and `/readyz`, on loopback by default.
public final class ObservabilityServer: Sendable {
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    /// The port it listens on (useful when it was asked for port 0).
    public let port: Int

    private init(channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.channel = channel
        self.group = group
        self.port = channel.localAddress?.port ?? 0
    }

    /// Starts listening; `isReady` answers `/readyz`.
    public static func start(
        host: String = "127.0.0.1",
        port: Int,
        metrics: WardenMetrics,
        isReady: @escaping @Sendable () -> Bool = { true }
    ) async throws -> ObservabilityServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(ObservabilityHandler(metrics: metrics, isReady: isReady))
                    }
                }
                .bind(host: host, port: port)
                .get()
            return ObservabilityServer(channel: channel, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    public func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Answers one request at a time on a connection; anything but GET of a known path gets 404 or 405.
final class ObservabilityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: WardenMetrics
    private let isReady: @Sendable () -> Bool
    private var head: HTTPRequestHead?

    init(metrics: WardenMetrics, isReady: @escaping @Sendable () -> Bool) {
        self.metrics = metrics
        self.isReady = isReady
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let (status, contentType, body): (HTTPResponseStatus, String, String)
        if request.method != .GET && request.method != .HEAD {
            (status, contentType, body) = (.methodNotAllowed, "text/plain", "only GET\n")
        } else {
            switch path {
            case "/metrics": (status, contentType, body) = (.ok, "text/plain; version=0.0.4", metrics.exposition())
            case "/healthz": (status, contentType, body) = (.ok, "text/plain", "ok\n")
            case "/readyz":
                (status, contentType, body) = isReady() ? (.ok, "text/plain", "ready\n") : (.serviceUnavailable, "text/plain", "not ready\n")
            default: (status, contentType, body) = (.notFound, "text/plain", "not found\n")
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
        let keepAlive = request.isKeepAlive
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
