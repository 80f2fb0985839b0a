import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WardenJSON
import WardenMCP
import Synchronization
import WardenProxy

/// Streamable HTTP at `/mcp/<server>`: POST for messages, GET for the server's stream, DELETE to end a session.
struct MCPEndpoint: Sendable {
    let services: SessionFactory

    static let sessionHeader = HTTPField.Name("Mcp-Session-Id")!
    static let versionHeader = HTTPField.Name("MCP-Protocol-Version")!
    static let methodHeader = HTTPField.Name("Mcp-Method")!
    static let nameHeader = HTTPField.Name("Mcp-Name")!
    static let lastEventHeader = HTTPField.Name("Last-Event-ID")!
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    static let originHeader = HTTPField.Name("Origin")!
    /// The JSON-RPC error for routing headers that disagree with the body (2026-07-28).
    static let headerMismatch = -32020
    /// The JSON-RPC error past `max_connections`, `max_sessions` or `max_sessions_per_agent`.
    static let capReached = -32021
    /// The answer to an `Mcp-Session-Id` this process does not hold: behind a load balancer the session may live on
    /// another replica, so the message says where to look before it says to start again.
    static let unknownSession =
        "Session not found: this replica does not hold that session (it ended, expired, or lives on another replica); initialize a new one"

    /// The checks every MCP request passes first: origin, credential, protocol version header.
    func admit(_ request: Request) async -> Admission {
        if let refusal = checkOrigin(request) { return .refused(refusal) }
        let agent: AgentIdentity
        switch await services.authenticator.authenticate(
            authorization: request.headers[.authorization],
            apiKey: request.headers[Self.apiKeyHeader]
        ) {
        case .success(let identity): agent = identity
        case .failure(let failure): return .refused(Self.unauthorized(failure.reason))
        }
        if let version = request.headers[Self.versionHeader], !ProtocolRevision.known.contains(ProtocolRevision(version)) {
            return .refused(Self.plain(.badRequest, "Bad Request: unsupported MCP-Protocol-Version \(version)"))
        }
        return .admitted(agent)
    }

    enum Admission {
        case admitted(AgentIdentity)
        case refused(Response)
    }

    enum Body {
        case message(ByteBuffer, MessageEnvelope)
        case refused(Response)
    }

    func respond(to request: Request, server: UpstreamConfig) async -> Response {
        let agent: AgentIdentity
        switch await admit(request) {
        case .admitted(let identity): agent = identity
        case .refused(let response): return response
        }
        switch request.method {
        case .post: return await post(request, server: server, agent: agent)
        case .get: return await get(request, server: server, agent: agent)
        case .delete: return await delete(request, agent: agent)
        default:
            var response = Self.plain(.methodNotAllowed, "Method Not Allowed: use POST, GET or DELETE")
            response.headers[.allow] = "GET, POST, DELETE"
            return response
        }
    }

    // MARK: POST

    /// The POSTed message, inspected, or the error response for a body that is too big, malformed or disagrees with
    /// its routing headers.
    func readMessage(_ request: Request) async -> Body {
        let maxSize = services.config.maxMessageSize
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxSize {
            return .refused(Self.rpcError(.contentTooLarge, code: JSONRPCErrorCode.invalidRequest, "Invalid Request: the body is \(length) bytes; this gateway accepts at most \(maxSize)"))
        }
        var body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxSize)
        } catch is NIOTooManyBytesError {
            return .refused(Self.rpcError(.contentTooLarge, code: JSONRPCErrorCode.invalidRequest, "Invalid Request: the body is larger than \(maxSize) bytes"))
        } catch {
            return .refused(Self.plain(.badRequest, "Bad Request: the body could not be read"))
        }
        // Before anything reads it: a stdio upstream must see the one message Warden judges, never a second one
        // behind a line break its reader splits on. Every path to an upstream starts here.
        switch body.withUnsafeReadableBytes({ LineSafety.check($0) }) {
        case .safe:
            break
        case .rewritten(let bytes):
            body = ByteBuffer(bytes: bytes)
        case .refused(let reason):
            let text = "Invalid Request: a line break a server could split on: \(reason); send the message as compact JSON on one line"
            return .refused(Self.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, text))
        }
        let envelope: MessageEnvelope
        switch MessageInspector.inspect(body) {
        case .success(let value): envelope = value
        case .failure(.parseError(let message)):
            return .refused(Self.rpcError(.badRequest, code: JSONRPCErrorCode.parseError, "Parse error: \(message)"))
        case .failure(.invalidRequest(let message, let id)):
            return .refused(Self.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, "Invalid Request: \(message)", id: id))
        case .failure(.batch):
            return .refused(Self.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, "Invalid Request: JSON-RPC batches are not supported; send one message per request"))
        }
        if let problem = RoutingHeaders.mismatch(request.headers, message: body, envelope: envelope) {
            return .refused(Self.rpcError(.badRequest, code: Self.headerMismatch, "Header mismatch: \(problem)", id: envelope.id))
        }
        return .message(body, envelope)
    }

    private func post(_ request: Request, server: UpstreamConfig, agent: AgentIdentity) async -> Response {
        let body: ByteBuffer
        let envelope: MessageEnvelope
        switch await readMessage(request) {
        case .message(let buffer, let inspected): (body, envelope) = (buffer, inspected)
        case .refused(let response): return response
        }

        let session: GatewaySession
        var newSessionID: String?
        if let sessionID = request.headers[Self.sessionHeader] {
            guard let found = services.registry.session(id: sessionID), found.serverName == server.name, found.agent == agent, !found.stateless else {
                return Self.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest, Self.unknownSession, id: envelope.id)
            }
            session = found
        } else if envelope.method == "initialize" {
            guard !services.draining.load(ordering: .relaxed) else {
                return Self.rpcError(.serviceUnavailable, code: JSONRPCErrorCode.internalError, "the gateway is shutting down", id: envelope.id)
            }
            let id = SessionID.make()
            if let refusal = services.quota.admit(key: id, agent: agent.id) { return Self.overCapacity(refusal, id: envelope.id) }
            session = services.makeSession(id: id, server: server, agent: agent, stateless: false)
            services.registry.add(session)
            newSessionID = id
        } else if Self.isStateless(request, body: body, envelope: envelope) {
            switch services.statelessSession(server: server, agent: agent) {
            case .success(let shared): session = shared
            case .failure(let refusal): return Self.overCapacity(refusal, id: envelope.id)
            }
        } else {
            return Self.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, "Bad Request: missing Mcp-Session-Id; send initialize first", id: envelope.id)
        }

        guard envelope.kind == .request else {
            session.loop.execute { session.receiveFromClient(body, envelope: envelope, sink: nil) }
            return Response(status: .accepted)
        }
        let acceptsEvents = request.headers[.accept].map { $0.contains("text/event-stream") || $0.contains("*/*") } ?? false
        let sink = ResponseSink(acceptsEvents: acceptsEvents)
        session.loop.execute { session.receiveFromClient(body, envelope: envelope, sink: sink) }
        var headers = HTTPFields()
        if let newSessionID { headers[Self.sessionHeader] = newSessionID }
        return await Self.answer(from: sink, headers: headers) { session.loop.execute { session.abandoned(sink) } }
    }

    /// The HTTP response for a request whose messages arrive in `sink`: plain JSON when the answer is all there is
    /// (or the client takes only JSON), otherwise an event stream that ends with the answer.
    static func answer(from sink: ResponseSink, headers: HTTPFields, abandoned: @escaping @Sendable () -> Void) async -> Response {
        var headers = headers
        guard let first = await sink.next() else {
            abandoned()
            return plain(.serviceUnavailable, "the session ended before the request was answered")
        }
        if first.isFinal || !sink.acceptsEvents {
            var message = first.message
            if !first.isFinal {
                // A client that takes only JSON gets the answer alone.
                while let item = await sink.next() {
                    if item.isFinal {
                        message = item.message
                        break
                    }
                }
            }
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: message))
        }
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: eventStream(first: first, sink: sink, abandoned: abandoned))
    }

    /// Writes `first` and what follows it as server-sent events, until the final answer or the sink ends.
    static func eventStream(first: SinkItem?, sink: ResponseSink, abandoned: @escaping @Sendable () -> Void) -> ResponseBody {
        ResponseBody { writer in
            do {
                if let first {
                    try await writer.write(SSEEncoder.message(first.message, id: first.eventID))
                    if first.isFinal {
                        try await writer.finish(nil)
                        return
                    }
                }
                while let item = await sink.next() {
                    try await writer.write(SSEEncoder.message(item.message, id: item.eventID))
                    if item.isFinal { break }
                }
                try await writer.finish(nil)
            } catch {
                abandoned()
                throw error
            }
        }
    }

    /// A request from a 2026-07-28 client, which opens no session: the revision is in a header or in `_meta`.
    static func isStateless(_ request: Request, body: ByteBuffer, envelope: MessageEnvelope) -> Bool {
        if let version = request.headers[versionHeader] { return ProtocolRevision(version).isStateless }
        if envelope.method == "server/discover" { return true }
        guard let params = envelope.params else { return false }
        return body.withUnsafeReadableBytes { bytes in
            let slice = UnsafeRawBufferPointer(rebasing: bytes[params])
            guard slice.firstRange(of: Array("protocolVersion".utf8)) != nil, let value = try? JSONParser.parse(slice) else { return false }
            return ClientInfo.fromRequestMeta(params: value)?.revision?.isStateless ?? false
        }
    }

    // MARK: GET and DELETE

    private func get(_ request: Request, server: UpstreamConfig, agent: AgentIdentity) async -> Response {
        guard request.headers[.accept]?.contains("text/event-stream") ?? false else {
            return Self.plain(.notAcceptable, "Not Acceptable: a GET stream needs `Accept: text/event-stream`")
        }
        guard let sessionID = request.headers[Self.sessionHeader] else {
            var response = Self.plain(.methodNotAllowed, "Method Not Allowed: GET needs an Mcp-Session-Id; stateless clients use POST only")
            response.headers[.allow] = "POST"
            return response
        }
        guard let session = services.registry.session(id: sessionID), session.serverName == server.name, session.agent == agent else {
            return Self.plain(.notFound, Self.unknownSession)
        }
        let sink = ResponseSink(acceptsEvents: true)
        let lastEventID = request.headers[Self.lastEventHeader]
        session.loop.execute { session.attachStream(sink, lastEventID: lastEventID) }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: Self.eventStream(first: nil, sink: sink) { session.loop.execute { session.abandoned(sink) } })
    }

    private func delete(_ request: Request, agent: AgentIdentity) async -> Response {
        guard let sessionID = request.headers[Self.sessionHeader] else {
            return Self.plain(.badRequest, "Bad Request: DELETE needs an Mcp-Session-Id")
        }
        guard let session = services.registry.session(id: sessionID), session.agent == agent else {
            return Self.plain(.notFound, Self.unknownSession)
        }
        services.registry.remove(id: sessionID)
        session.loop.execute { session.close(reason: "the client ended the session") }
        services.ended(session)
        return Response(status: .noContent)
    }

    // MARK: Checks and answers

    /// A browser page from another site must not drive a local gateway (DNS rebinding): 403 unless the origin is
    /// this machine or listed in `allowed_origins`.
    private func checkOrigin(_ request: Request) -> Response? {
        guard let origin = request.headers[Self.originHeader] else { return nil }
        if services.config.allowedOrigins.contains(origin) { return nil }
        if let url = URL(string: origin), let host = url.host, ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host) { return nil }
        return Self.plain(.forbidden, "Forbidden: origin \(origin) is not allowed")
    }

    /// The answer when a session cap is reached: 429 for the agent's own cap, 503 for the gateway's.
    static func overCapacity(_ refusal: SessionQuota.Refusal, id: JSONRPCID?) -> Response {
        var response = rpcError(
            refusal.isPerAgent ? .tooManyRequests : .serviceUnavailable,
            code: capReached,
            "Session limit reached: \(refusal.message)",
            id: id
        )
        response.headers[.retryAfter] = "30"
        return response
    }

    static func unauthorized(_ reason: String) -> Response {
        var response = rpcError(.unauthorized, code: JSONRPCErrorCode.invalidRequest, "Unauthorized: \(reason)")
        let escaped = reason.replacingOccurrences(of: "\"", with: "'")
        response.headers[.wwwAuthenticate] = "Bearer realm=\"warden\", error=\"invalid_token\", error_description=\"\(escaped)\""
        return response
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func rpcError(_ status: HTTPResponse.Status, code: Int, _ message: String, id: JSONRPCID? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let bytes = JSONRPCMessage.error(id: id, code: code, message: message)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
