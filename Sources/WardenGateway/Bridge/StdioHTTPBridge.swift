import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOPosix
import WardenMCP
public import WardenProxy

/// `warden run --upstream URL`: the agent's client on stdio, a remote Streamable HTTP server upstream.
public enum StdioHTTPBridge {
    /// Relays until the client closes its input; returns 0. The upstream's session is deleted at the end.
    public static func run(
        upstream url: URL,
        headers: [(String, String)],
        maxMessageSize: Int,
        requestTimeout: Duration,
        logger: Logger,
        clientInput: CInt = STDIN_FILENO,
        clientOutput: CInt = STDOUT_FILENO,
        makeInterceptor: @escaping @Sendable () -> SessionInterceptor
    ) async throws -> Int32 {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let client = GatewayServices.makeHTTPClient(group: group)
        let relay = try await loop.submit { BridgeRelay(loop: loop, interceptor: makeInterceptor()) }.get()
        let upstream = HTTPUpstream(
            url: url,
            headers: headers,
            client: client,
            loop: loop,
            events: relay,
            maxMessageSize: maxMessageSize,
            requestTimeout: requestTimeout,
            logger: logger
        )
        try await loop.submit { relay.upstream = upstream }.get()
        let channel = try await LinePipe.open(
            on: loop,
            input: try StdioBridge.readableDescriptor(clientInput),
            output: try StdioBridge.writableDescriptor(clientOutput),
            maxMessageSize: maxMessageSize
        ) { channel, sync in
            try sync.addHandler(BridgeClientHandler(relay: relay))
            relay.clientChannel = channel
        }
        if try await loop.submit({ relay.driver.hasCallTimeout }).get() {
            loop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { _ in relay.driver.expireOverdueCalls() }
        }
        try? await relay.clientDone.futureResult.get()
        // Answers still on their way get a moment to arrive before the session with the server ends.
        for _ in 0..<50 {
            let pending = try await loop.submit { relay.driver.interceptor.inflightCount }.get()
            if pending == 0 { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        try await loop.submit { upstream.close() }.get()
        for _ in 0..<10 {
            let outstanding = try await loop.submit { relay.driver.outstandingWork }.get()
            if outstanding.isEmpty { break }
            for task in outstanding { task.cancel() }
            for task in outstanding { await task.value }
        }
        try? await loop.flatSubmit { relay.lastWrite }.get()
        try? await channel.close()
        try? await client.shutdown()
        try? await group.shutdownGracefully()
        return 0
    }
}

/// The bridge's state on its loop: client lines in, interceptor, HTTP upstream out.
final class BridgeRelay: UpstreamEvents, @unchecked Sendable {
    // @unchecked: touched only on `loop`.
    let loop: any EventLoop
    var driver: InterceptorDriver!
    var upstream: HTTPUpstream?
    var clientChannel: (any Channel)?
    let clientDone: EventLoopPromise<Void>
    private var clientEnded = false
    var lastWrite: EventLoopFuture<Void>
    private let newline = ByteBuffer(string: "\n")

    init(loop: any EventLoop, interceptor: SessionInterceptor) {
        self.loop = loop
        self.clientDone = loop.makePromise()
        self.lastWrite = loop.makeSucceededVoidFuture()
        self.driver = InterceptorDriver(loop: loop, interceptor: interceptor) { [unowned self] deliveries, _ in self.deliver(deliveries) }
    }

    func clientInputEnded() {
        guard !clientEnded else { return }
        clientEnded = true
        clientDone.succeed()
    }

    func upstreamMessage(_ frame: FramedMessage) { driver.fromServer(frame) }
    func upstreamClosed(reason: String) { driver.upstreamClosed() }

    private func deliver(_ deliveries: [Delivery]) {
        for delivery in deliveries {
            let buffer = delivery.payload.buffer
            if delivery.destination == .server {
                upstream?.send(buffer)
            } else if let clientChannel {
                clientChannel.write(buffer, promise: nil)
                let promise = loop.makePromise(of: Void.self)
                clientChannel.writeAndFlush(newline, promise: promise)
                lastWrite = promise.futureResult
            }
        }
    }
}

final class BridgeClientHandler: ChannelInboundHandler {
    typealias InboundIn = FramedMessage
    private let relay: BridgeRelay

    init(relay: BridgeRelay) {
        self.relay = relay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        relay.driver.fromClient(unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { relay.clientInputEnded() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        relay.clientInputEnded()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        relay.clientInputEnded()
        context.close(promise: nil)
    }
}
