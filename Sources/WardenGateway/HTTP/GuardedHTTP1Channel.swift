import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 connection with a `ConnectionGuard` right after the request decoder.
///
/// Hummingbird's `additionalChannelHandlers` go after its conversion to HTTP types, and its idle timeout cannot tell
/// a head that never finishes from a quiet keep-alive connection; the guard needs the decoder's parts, so it is put
/// in place here once Hummingbird has built the pipeline.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let count: ConnectionCount
    let headerTimeout: TimeAmount
    let keepAliveTimeout: TimeAmount

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let guardHandler = ConnectionGuard(count: count, headerTimeout: headerTimeout, keepAliveTimeout: keepAliveTimeout)
            try operations.addHandler(guardHandler, position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        // The connection's requests are handled in this task: they can watch the client hang up (see `ConnectionWatch`).
        let channel = value.channel
        let hangUp = try? await channel.eventLoop.submit { try channel.pipeline.syncOperations.handler(type: ConnectionGuard.self).hangUp }.get()
        await ConnectionWatch.$hangUp.withValue(hangUp) { await base.handle(value: value, logger: logger) }
    }

    /// The server builder for `Application`, with the gateway's timeouts and connection cap.
    static func builder(count: ConnectionCount, headerTimeout: Duration, keepAliveTimeout: Duration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                base: HTTP1Channel(responder: responder),
                count: count,
                headerTimeout: TimeAmount(headerTimeout),
                keepAliveTimeout: TimeAmount(keepAliveTimeout)
            )
        }
    }
}
