import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import WardenMCP

/// Reads one POST's answer on the session's loop: a JSON body (bounded), or an event stream whose messages go to
/// the session as they arrive.
final class PostDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    // @unchecked: the client calls a delegate on the event loop the request was given, one callback at a time.
    typealias Response = Void

    let envelope: MessageEnvelope
    private unowned let upstream: HTTPUpstream
    private let maxMessageSize: Int
    private var parser: SSEParser
    private(set) var sawHead = false
    private(set) var status: HTTPResponseStatus = .ok
    private(set) var contentType = ""
    private(set) var isEvents = false
    private(set) var answered = false
    private(set) var tooBig = false
    private(set) var body = ByteBuffer()

    init(upstream: HTTPUpstream, envelope: MessageEnvelope, maxMessageSize: Int) {
        self.upstream = upstream
        self.envelope = envelope
        self.maxMessageSize = maxMessageSize
        self.parser = SSEParser(maxLineLength: maxMessageSize)
    }

    var lastEventID: String? { parser.lastEventID }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        sawHead = true
        status = head.status
        contentType = head.headers.first(name: "Content-Type")?.lowercased() ?? ""
        isEvents = contentType.hasPrefix("text/event-stream") && status == .ok
        if envelope.method == "initialize", let id = head.headers.first(name: "Mcp-Session-Id") { upstream.setSession(id) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        if isEvents {
            do {
                for event in try parser.feed(buffer) where (event.event ?? "message") == "message" && !event.data.isEmpty {
                    let message = ByteBuffer(string: event.data)
                    if !answered, let id = envelope.id, case .success(let inner) = MessageInspector.inspect(message),
                        inner.kind == .response || inner.kind == .errorResponse, inner.id == id
                    {
                        answered = true
                    }
                    upstream.deliverEvent(message)
                }
            } catch {
                task.cancel()
            }
        } else if !tooBig {
            if body.readableBytes + buffer.readableBytes > maxMessageSize {
                tooBig = true
                body.clear()
            } else {
                body.writeImmutableBuffer(buffer)
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        upstream.finished(self)
    }
}
