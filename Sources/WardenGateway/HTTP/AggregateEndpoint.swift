import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import WardenJSON
import WardenMCP
import WardenProxy

/// `/mcp`: several upstreams as one server, their tools named `server__tool`, each upstream under its own policy.
///
/// Behind each aggregate session is one gateway session per upstream, so every call is judged by that upstream's
/// policy, limits and audit exactly as at `/mcp/<server>`. Requests the server sends the client (elicitation,
/// sampling) get ids prefixed with the upstream's name, so answers find their way back and ids from different
/// upstreams cannot collide.
struct AggregateEndpoint: Sendable {
    let endpoint: MCPEndpoint
    let servers: [UpstreamConfig]
    let registry: AggregateRegistry
    static let separator = "__"

    var services: SessionFactory { endpoint.services }

    func respond(to request: Request) async -> Response {
        let agent: AgentIdentity
        switch await endpoint.admit(request) {
        case .admitted(let identity): agent = identity
        case .refused(let response): return response
        }
        switch request.method {
        case .post: return await post(request, agent: agent)
        case .get: return await get(request, agent: agent)
        case .delete:
            guard let id = request.headers[MCPEndpoint.sessionHeader], let session = registry.remove(id: id, agent: agent) else {
                return MCPEndpoint.plain(.notFound, MCPEndpoint.unknownSession)
            }
            services.quota.release(key: session.id)
            await session.close(reason: "the client ended the session") { services.ended($0) }
            return Response(status: .noContent)
        default:
            var response = MCPEndpoint.plain(.methodNotAllowed, "Method Not Allowed: use POST, GET or DELETE")
            response.headers[.allow] = "GET, POST, DELETE"
            return response
        }
    }

    // MARK: POST

    private func post(_ request: Request, agent: AgentIdentity) async -> Response {
        let body: ByteBuffer
        let envelope: MessageEnvelope
        switch await endpoint.readMessage(request) {
        case .message(let buffer, let inspected): (body, envelope) = (buffer, inspected)
        case .refused(let response): return response
        }
        let session: AggregateSession
        var headers = HTTPFields()
        if let id = request.headers[MCPEndpoint.sessionHeader] {
            guard let found = registry.session(id: id, agent: agent) else {
                return MCPEndpoint.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest, MCPEndpoint.unknownSession, id: envelope.id)
            }
            session = found
        } else if envelope.method == "initialize" {
            let id = SessionID.make()
            if let refusal = services.quota.admit(key: id, agent: agent.id) { return MCPEndpoint.overCapacity(refusal, id: envelope.id) }
            var inner: [String: GatewaySession] = [:]
            for server in servers {
                inner[server.name] = services.makeSession(id: "\(id)-\(server.name)", server: server, agent: agent, stateless: false)
            }
            session = AggregateSession(id: id, agent: agent, inner: inner, order: servers.map(\.name))
            registry.add(session)
            headers[MCPEndpoint.sessionHeader] = id
        } else if MCPEndpoint.isStateless(request, body: body, envelope: envelope) {
            var inner: [String: GatewaySession] = [:]
            for server in servers {
                switch services.statelessSession(server: server, agent: agent) {
                case .success(let shared): inner[server.name] = shared
                case .failure(let refusal): return MCPEndpoint.overCapacity(refusal, id: envelope.id)
                }
            }
            session = AggregateSession(id: "stateless", agent: agent, inner: inner, order: servers.map(\.name))
        } else {
            return MCPEndpoint.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, "Bad Request: missing Mcp-Session-Id; send initialize first", id: envelope.id)
        }
        session.touch()

        guard envelope.kind == .request, let id = envelope.id, let method = envelope.method else {
            await session.forwardNotificationOrAnswer(body, envelope: envelope)
            return Response(status: .accepted)
        }
        let acceptsEvents = request.headers[.accept].map { $0.contains("text/event-stream") || $0.contains("*/*") } ?? false
        let sink = ResponseSink(acceptsEvents: acceptsEvents)
        let params = envelope.params.flatMap { range in
            body.withUnsafeReadableBytes { try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
        let modern = ClientInfo.fromRequestMeta(params: params ?? .null)?.revision?.isStateless ?? false
        switch method {
        case "initialize", "server/discover":
            let merged = await session.merged(method: method, message: body, id: id)
            sink.yield(SinkItem(eventID: "0", message: merged, isFinal: true))
        case "tools/list":
            sink.yield(SinkItem(eventID: "0", message: await session.listTools(id: id, params: params), isFinal: true))
        case "tools/call":
            guard let name = params?["name"]?.stringValue, let (server, tool) = session.split(name), case .object(var object) = params else {
                let text = "Unknown tool: \(params?["name"]?.stringValue ?? "(none)"); tools here are named server\(Self.separator)tool"
                sink.yield(SinkItem(eventID: "0", message: ByteBuffer(bytes: JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.invalidParams, message: text)), isFinal: true))
                break
            }
            object["name"] = .string(tool)
            let message = ByteBuffer(bytes: JSONRPCMessage.request(id: id, method: method, params: .object(object)))
            session.relay(message, to: server, id: id, into: sink)
        case "ping":
            let result = AggregateSession.complete([:], modern: modern)
            sink.yield(SinkItem(eventID: "0", message: ByteBuffer(bytes: JSONRPCMessage.result(id: id, result: result)), isFinal: true))
        case "resources/list", "resources/templates/list", "prompts/list":
            let key = method == "prompts/list" ? "prompts" : method == "resources/list" ? "resources" : "resourceTemplates"
            let result = AggregateSession.complete([key: .array([])], modern: modern, list: true)
            sink.yield(SinkItem(eventID: "0", message: ByteBuffer(bytes: JSONRPCMessage.result(id: id, result: result)), isFinal: true))
        default:
            let text = "Method not found: the aggregate endpoint serves tools only; use /mcp/<server> for \(method)"
            sink.yield(SinkItem(eventID: "0", message: ByteBuffer(bytes: JSONRPCMessage.error(id: id, code: -32601, message: text)), isFinal: true))
        }
        return await MCPEndpoint.answer(from: sink, headers: headers) {}
    }

    // MARK: GET

    private func get(_ request: Request, agent: AgentIdentity) async -> Response {
        guard request.headers[.accept]?.contains("text/event-stream") ?? false else {
            return MCPEndpoint.plain(.notAcceptable, "Not Acceptable: a GET stream needs `Accept: text/event-stream`")
        }
        guard let id = request.headers[MCPEndpoint.sessionHeader], let session = registry.session(id: id, agent: agent) else {
            return MCPEndpoint.plain(.notFound, MCPEndpoint.unknownSession)
        }
        let sink = ResponseSink(acceptsEvents: true)
        session.attachStreams(to: sink)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: MCPEndpoint.eventStream(first: nil, sink: sink) { sink.finish() })
    }
}

/// The live aggregate sessions.
final class AggregateRegistry: Sendable {
    private let sessions = Mutex<[String: AggregateSession]>([:])

    func add(_ session: AggregateSession) { sessions.withLock { $0[session.id] = session } }

    func session(id: String, agent: AgentIdentity) -> AggregateSession? {
        sessions.withLock { $0[id] }.flatMap { $0.agent == agent ? $0 : nil }
    }

    func remove(id: String, agent: AgentIdentity) -> AggregateSession? {
        sessions.withLock { sessions in
            guard let session = sessions[id], session.agent == agent else { return nil }
            return sessions.removeValue(forKey: id)
        }
    }

    /// The upstream sessions behind every aggregate session.
    var innerSessions: [GatewaySession] {
        sessions.withLock { sessions in sessions.values.flatMap { Array($0.inner.values) } }
    }

    func removeAll(where predicate: (AggregateSession) -> Bool) -> [AggregateSession] {
        sessions.withLock { sessions in
            let gone = sessions.values.filter(predicate)
            for session in gone { sessions[session.id] = nil }
            return gone
        }
    }
}

/// One client's view of several upstreams.
final class AggregateSession: Sendable {
    let id: String
    let agent: AgentIdentity
    let inner: [String: GatewaySession]
    let order: [String]
    /// Which upstream each in-flight client request went to, for cancellations.
    private let routes = Mutex<[String: String]>([:])
    private let lastActive = Mutex(ContinuousClock.now)
    private let counter = Atomic<Int>(0)

    init(id: String, agent: AgentIdentity, inner: [String: GatewaySession], order: [String]) {
        self.id = id
        self.agent = agent
        self.inner = inner
        self.order = order
    }

    func touch() { lastActive.withLock { $0 = .now } }
    var idleFor: Duration { ContinuousClock.now - lastActive.withLock { $0 } }

    func split(_ name: String) -> (String, String)? {
        guard let range = name.range(of: AggregateEndpoint.separator) else { return nil }
        let server = String(name[..<range.lowerBound])
        let tool = String(name[range.upperBound...])
        guard inner[server] != nil, !tool.isEmpty else { return nil }
        return (server, tool)
    }

    private func internalID() -> JSONRPCID {
        JSONRPCID(.string("warden-aggregate-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)"))!
    }

    /// Sends `message` to one upstream and waits for its answer, relaying nothing else.
    private func ask(_ server: String, _ message: ByteBuffer) async -> JSONValue? {
        guard let session = inner[server], case .success(let envelope) = MessageInspector.inspect(message) else { return nil }
        let sink = ResponseSink(acceptsEvents: false)
        session.loop.execute { session.receiveFromClient(message, envelope: envelope, sink: sink) }
        while let item = await sink.next() {
            guard item.isFinal else { continue }
            return item.message.withUnsafeReadableBytes { try? JSONParser.parse($0) }
        }
        return nil
    }

    /// initialize or server/discover: every upstream is asked; the answer speaks for them all.
    func merged(method: String, message: ByteBuffer, id: JSONRPCID) async -> ByteBuffer {
        let params = message.withUnsafeReadableBytes { try? JSONParser.parse($0) }?["params"]
        var results: [(String, JSONValue)] = []
        var failures: [String] = []
        await withTaskGroup(of: (String, JSONValue?).self) { group in
            for server in order {
                let request = ByteBuffer(bytes: JSONRPCMessage.request(id: internalID(), method: method, params: params))
                group.addTask { (server, await self.ask(server, request)) }
            }
            for await (server, answer) in group {
                if let result = answer?["result"] { results.append((server, result)) } else { failures.append(server) }
            }
        }
        results.sort { a, b in order.firstIndex(of: a.0)! < order.firstIndex(of: b.0)! }
        guard case .object(var result)? = results.first?.1 else {
            let text = "no upstream answered \(method): \(failures.sorted().joined(separator: ", "))"
            return ByteBuffer(bytes: JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.internalError, message: text))
        }
        if method == "initialize" {
            // The oldest revision any upstream chose is the one all of them speak.
            let versions = results.compactMap { $0.1["protocolVersion"]?.stringValue }
            if let oldest = versions.min() { result["protocolVersion"] = .string(oldest) }
        }
        result["capabilities"] = ["tools": ["listChanged": false]]
        result["serverInfo"] = ["name": "warden-aggregate", "version": "1"]
        result["instructions"] = .string("Tools of \(results.map(\.0).joined(separator: ", ")), named server\(AggregateEndpoint.separator)tool.")
        return ByteBuffer(bytes: JSONRPCMessage.result(id: id, result: .object(result)))
    }

    /// A result of Warden's own; 2026-07-28 wants every result to say it is complete, and lists to say how long
    /// they may be cached.
    static func complete(_ result: JSONObject, modern: Bool, list: Bool = false) -> JSONValue {
        var result = result
        if modern {
            result["resultType"] = "complete"
            if list { result["ttlMs"] = 0 }
        }
        return .object(result)
    }

    /// Every upstream's tools (after its policy hid what it hides), renamed `server__tool`, on one page.
    func listTools(id: JSONRPCID, params: JSONValue?) async -> ByteBuffer {
        var tools: [JSONValue] = []
        var isPrivate = false
        var template: JSONObject?
        var ttl: JSONValue?
        for server in order {
            var cursor: JSONValue?
            for _ in 0..<100 {
                var object: JSONObject = [:]
                if case .object(let given)? = params { object = given }
                object["cursor"] = cursor
                let request = ByteBuffer(bytes: JSONRPCMessage.request(id: internalID(), method: "tools/list", params: .object(object)))
                guard let result = await ask(server, request)?["result"] else { break }
                for tool in result["tools"]?.arrayValue ?? [] {
                    guard case .object(var entry) = tool, let name = entry["name"]?.stringValue else { continue }
                    entry["name"] = .string(server + AggregateEndpoint.separator + name)
                    tools.append(.object(entry))
                }
                if result["cacheScope"]?.stringValue == "private" { isPrivate = true }
                if template == nil, case .object(let object) = result { template = object }
                if let value = result["ttlMs"], let number = value.numberValue, number < (ttl?.numberValue ?? .infinity) { ttl = value }
                cursor = result["nextCursor"]
                if cursor == nil || cursor == .null { break }
            }
        }
        // The first upstream's answer is the shape (it carries what the revision requires); the tools are everyone's.
        var result = template ?? [:]
        result["tools"] = .array(tools)
        result["nextCursor"] = nil
        if let ttl { result["ttlMs"] = ttl }
        if isPrivate { result["cacheScope"] = "private" }
        return ByteBuffer(bytes: JSONRPCMessage.result(id: id, result: .object(result)))
    }

    /// Sends a client request to one upstream; everything for it comes back into `sink`, server requests renamed.
    func relay(_ message: ByteBuffer, to server: String, id: JSONRPCID, into sink: ResponseSink) {
        guard let session = inner[server], case .success(let envelope) = MessageInspector.inspect(message) else { return }
        routes.withLock { $0[id.raw] = server }
        let innerSink = ResponseSink(acceptsEvents: sink.acceptsEvents)
        session.loop.execute { session.receiveFromClient(message, envelope: envelope, sink: innerSink) }
        Task {
            while let item = await innerSink.next() {
                sink.yield(SinkItem(eventID: item.eventID, message: Self.prefixingRequest(item.message, server: server), isFinal: item.isFinal))
                if item.isFinal { break }
            }
            sink.finish()
            self.routes.withLock { $0[id.raw] = nil }
        }
    }

    /// A server-to-client request gets the id `server::id`; anything else passes unchanged.
    static func prefixingRequest(_ message: ByteBuffer, server: String) -> ByteBuffer {
        guard case .success(let envelope) = MessageInspector.inspect(message), envelope.kind == .request, let id = envelope.id,
            let renamed = JSONRPCID(.string("\(server)::\(id.raw)"))
        else { return message }
        return MessageSplice.replacingID(in: message, with: renamed) ?? message
    }

    /// A notification or an answer from the client: answers and cancellations go to their upstream, the rest to all.
    func forwardNotificationOrAnswer(_ message: ByteBuffer, envelope: MessageEnvelope) async {
        if envelope.kind == .response || envelope.kind == .errorResponse {
            guard let id = envelope.id, case .string(let text) = id.value, let separator = text.range(of: "::"),
                let session = inner[String(text[..<separator.lowerBound])],
                let original = JSONRPCID(raw: String(text[separator.upperBound...])),
                let restored = MessageSplice.replacingID(in: message, with: original),
                case .success(let restoredEnvelope) = MessageInspector.inspect(restored)
            else { return }
            session.loop.execute { session.receiveFromClient(restored, envelope: restoredEnvelope, sink: nil) }
            return
        }
        var targets = order
        if envelope.method == "notifications/cancelled", let params = envelope.params,
            let requestID = message.withUnsafeReadableBytes({ try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[params])) })?["requestId"],
            let id = JSONRPCID(requestID), let server = routes.withLock({ $0[id.raw] })
        {
            targets = [server]
        }
        for server in targets {
            guard let session = inner[server] else { continue }
            session.loop.execute { session.receiveFromClient(message, envelope: envelope, sink: nil) }
        }
    }

    /// The client's GET stream: every upstream's own messages, merged.
    func attachStreams(to sink: ResponseSink) {
        for server in order {
            guard let session = inner[server] else { continue }
            let innerSink = ResponseSink(acceptsEvents: true)
            session.loop.execute { session.attachStream(innerSink, lastEventID: nil) }
            Task {
                while let item = await innerSink.next() {
                    sink.yield(SinkItem(eventID: item.eventID, message: Self.prefixingRequest(item.message, server: server), isFinal: false))
                }
                // One upstream's stream ended (its session closed, or shutdown): the merged stream ends too.
                sink.finish()
            }
        }
    }

    /// Ends the upstream sessions behind this one; `ended` hears of each, for the session count.
    func close(reason: String, ended: (GatewaySession) -> Void = { _ in }) async {
        guard id != "stateless" else { return }
        for session in inner.values {
            try? await session.loop.submit { session.close(reason: reason) }.get()
            ended(session)
        }
    }
}
