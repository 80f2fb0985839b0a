public import AsyncHTTPClient
public import Foundation
public import Logging
public import NIOCore
import NIOHTTP1
import Synchronization
import WardenJSON
import WardenMCP

/// A remote Streamable HTTP server as an upstream: each message becomes a POST, answers come back as JSON or an
/// event stream, and a GET stream carries what the server sends on its own.
///
/// Credentials are the config's `headers`, never anything the agent sent. Notifications, responses and `initialize`
/// are sent one after another, each finished before the next message starts, so the server sees
/// `notifications/initialized` before the requests that follow it; other requests run concurrently.
///
/// POSTs go through the HTTP client's delegate interface, which calls back on the session's own event loop, over
/// the client's pool of keep-alive connections. (Asking for a connection on that very loop would make the pool
/// open a new one for each request and close it after.)
public final class HTTPUpstream: SessionUpstream, @unchecked Sendable {
    // @unchecked: `state` is behind a mutex; `outbox`, `orderedInFlight` and `posts` are touched only on `loop`.
    private let url: URL
    private let headers: [(String, String)]
    private let client: HTTPClient
    private let loop: any EventLoop
    private let events: any UpstreamEvents
    private let maxMessageSize: Int
    private let requestTimeout: TimeAmount
    private let logger: Logger
    private var outbox: [ByteBuffer] = []
    private var orderedInFlight = false
    private var posts: [ObjectIdentifier: HTTPClient.Task<Void>] = [:]
    private let drainTimeout: TimeAmount
    private var finishing = false

    private struct State {
        var sessionID: String?
        var protocolVersion: String?
        var initializeID: JSONRPCID?
        var streamTask: Task<Void, Never>?
        var closed = false
        var endWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init(
        url: URL,
        headers: [(String, String)],
        client: HTTPClient,
        loop: any EventLoop,
        events: any UpstreamEvents,
        maxMessageSize: Int,
        requestTimeout: Duration,
        drainTimeout: TimeAmount = .seconds(5),
        logger: Logger
    ) {
        self.drainTimeout = drainTimeout
        self.url = url
        self.headers = headers
        self.client = client
        self.loop = loop
        self.events = events
        self.maxMessageSize = maxMessageSize
        self.requestTimeout = .nanoseconds(
            Int64(requestTimeout.components.seconds) * 1_000_000_000 + requestTimeout.components.attoseconds / 1_000_000_000
        )
        self.logger = logger
    }

    public func send(_ message: ByteBuffer) {
        loop.preconditionInEventLoop()
        outbox.append(message)
        pump()
    }

    /// Starts what may start now: requests at once, an ordered message only when nothing ordered is in flight.
    private func pump() {
        while !orderedInFlight, !outbox.isEmpty, !state.withLock({ $0.closed }) {
            let message = outbox.removeFirst()
            guard case .success(let envelope) = MessageInspector.inspect(message) else { continue }
            // Everything after the handshake needs the session id its answer brings, so it waits for it too.
            let ordered = envelope.kind != .request || envelope.method == "initialize"
            if envelope.method == "initialize" { state.withLock { $0.initializeID = envelope.id } }
            if ordered { orderedInFlight = true }
            post(message, envelope: envelope) { [self] in
                guard ordered else { return }
                orderedInFlight = false
                if envelope.method == "notifications/initialized" { openStream(lastEventID: nil, attempt: 0) }
                pump()
            }
        }
    }

    /// The client for remote upstreams: redirects are not followed, so credentials stay with their host. Its group
    /// must hold the sessions' loops, since each request runs on its session's loop.
    public static func makeClient(group: (any EventLoopGroup)? = nil) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(10)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        if let group { return HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration) }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Gives the answers still on their way up to `drainTimeout` to arrive, then ends the remote session.
    public func finish() {
        loop.preconditionInEventLoop()
        guard !finishing else { return }
        finishing = true
        closeWhenAnswered(by: .now() + drainTimeout)
    }

    private func closeWhenAnswered(by deadline: NIODeadline) {
        if (posts.isEmpty && outbox.isEmpty && !orderedInFlight) || NIODeadline.now() >= deadline {
            close()
            return
        }
        loop.scheduleTask(in: .milliseconds(100)) { self.closeWhenAnswered(by: deadline) }
    }

    /// Returns 0 once the link is closed: a remote server has no exit status to pass on.
    public func ended() async -> Int32 {
        await withCheckedContinuation { continuation in
            let closed = state.withLock { state in
                if !state.closed { state.endWaiters.append(continuation) }
                return state.closed
            }
            if closed { continuation.resume() }
        }
        return 0
    }

    public func close() {
        for post in posts.values { post.cancel() }
        posts.removeAll()
        outbox.removeAll()
        let (sessionID, tasks, waiters) = state.withLock { state -> (String?, [Task<Void, Never>], [CheckedContinuation<Void, Never>]) in
            guard !state.closed else { return (nil, [], []) }
            state.closed = true
            let tasks = [state.streamTask].compactMap { $0 }
            defer { state.endWaiters = [] }
            return (state.sessionID, tasks, state.endWaiters)
        }
        for task in tasks { task.cancel() }
        for waiter in waiters { waiter.resume() }
        guard let sessionID else { return }
        // The remote session ends with ours; a server that does not allow DELETE answers 405, which is fine.
        let request = makeRequest(method: .DELETE, sessionID: sessionID, protocolVersion: nil)
        let client = self.client
        let timeout = requestTimeout
        Task { _ = try? await client.execute(request, timeout: timeout) }
    }

    // MARK: Sending

    private func post(_ message: ByteBuffer, envelope: MessageEnvelope, done: @escaping @Sendable () -> Void) {
        let (sessionID, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
        var headers = HTTPHeaders()
        for (name, value) in self.headers { headers.add(name: name, value: value) }
        if let sessionID { headers.replaceOrAdd(name: "Mcp-Session-Id", value: sessionID) }
        let metaVersion = Self.metaVersion(message, envelope)
        if let chosen = version ?? metaVersion { headers.replaceOrAdd(name: "MCP-Protocol-Version", value: chosen) }
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json, text/event-stream")
        if let method = envelope.method, metaVersion.map({ ProtocolRevision($0).isStateless }) ?? false {
            headers.add(name: "Mcp-Method", value: method)
            if let name = Self.routedName(message, envelope) { headers.add(name: "Mcp-Name", value: name) }
        }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url.absoluteString, method: .POST, headers: headers, body: .byteBuffer(message))
        } catch {
            failRequest(envelope, "the upstream URL cannot be used: \(error)")
            done()
            return
        }
        let delegate = PostDelegate(upstream: self, envelope: envelope, maxMessageSize: maxMessageSize)
        let task = client.execute(request: request, delegate: delegate, eventLoop: .delegate(on: loop), deadline: nil, logger: nil)
        let key = ObjectIdentifier(task)
        posts[key] = task
        // The answer must start within the timeout; an event stream may then last as long as the call does.
        let timer = loop.scheduleTask(in: requestTimeout) { if !delegate.sawHead { task.cancel() } }
        task.futureResult.hop(to: loop).whenComplete { [self] result in
            timer.cancel()
            posts[key] = nil
            if case .failure(let error) = result, !state.withLock({ $0.closed }) {
                let reason = delegate.sawHead ? "its answer broke off" : "it could not be reached"
                logger.warning("request to the upstream failed", metadata: ["error": "\(error)", "method": "\(envelope.method ?? "response")"])
                failRequest(envelope, "the upstream server \(reason): \(Self.describe(error))")
            }
            done()
        }
    }

    /// The whole answer to a POST is in: deliver a JSON answer, or follow up an event stream that ended early.
    func finished(_ post: PostDelegate) {
        let envelope = post.envelope
        if post.status == .accepted || (envelope.kind != .request && post.status.code < 300) { return }
        if post.isEvents {
            guard !post.answered, envelope.kind == .request else { return }
            guard let lastEventID = post.lastEventID else {
                failRequest(envelope, "the upstream server's event stream ended before its answer")
                return
            }
            Task { await resume(envelope, from: lastEventID) }
            return
        }
        guard !post.tooBig else {
            failRequest(envelope, "the upstream server's answer is larger than \(maxMessageSize) bytes")
            return
        }
        let body = post.body
        if post.contentType.hasPrefix("application/json"), case .success(let answer) = MessageInspector.inspect(body) {
            if answer.kind == .errorResponse, answer.id == nil, envelope.kind == .request {
                // Rejected before the server read the id: the error belongs to this request.
                let text = answer.error.flatMap { range in
                    body.withUnsafeReadableBytes { try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[range])) }
                }?["message"]?.stringValue
                failRequest(envelope, "the upstream server refused the request (HTTP \(post.status.code)): \(text ?? "no reason given")")
                return
            }
            if envelope.kind == .request { deliver(body) }
            return
        }
        guard envelope.kind == .request else { return }
        if post.status == .notFound, state.withLock({ $0.sessionID }) != nil {
            failRequest(envelope, "the upstream server ended the session (HTTP 404)")
            return
        }
        failRequest(envelope, "the upstream server answered HTTP \(post.status.code)")
    }

    /// Resumes a POST's event stream that broke before its answer, as a resumable server allows.
    private func resume(_ envelope: MessageEnvelope, from lastEventID: String) async {
        var resumeFrom = lastEventID
        for attempt in 1...3 where !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100 << attempt))
            let (sessionID, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
            var request = makeRequest(method: .GET, sessionID: sessionID, protocolVersion: version)
            request.headers.add(name: "Accept", value: "text/event-stream")
            request.headers.add(name: "Last-Event-ID", value: resumeFrom)
            guard let response = try? await client.execute(request, timeout: requestTimeout), response.status == .ok,
                let (last, answered) = try? await readEvents(response.body, answering: envelope.id)
            else { break }
            if answered { return }
            resumeFrom = last ?? resumeFrom
        }
        failRequest(envelope, "the upstream server's event stream ended before its answer")
    }

    /// Called on the loop for each message event of a POST's stream.
    func deliverEvent(_ message: ByteBuffer) {
        deliver(message)
    }

    func setSession(_ id: String) {
        state.withLock { $0.sessionID = id }
    }

    /// Delivers each message event; returns the last event id and whether the answer to `request` came.
    private func readEvents(_ body: HTTPClientResponse.Body, answering request: JSONRPCID?) async throws -> (String?, Bool) {
        var parser = SSEParser(maxLineLength: maxMessageSize)
        var answered = false
        for try await chunk in body {
            for event in try parser.feed(chunk) where (event.event ?? "message") == "message" && !event.data.isEmpty {
                let message = ByteBuffer(string: event.data)
                if let request, !answered, case .success(let envelope) = MessageInspector.inspect(message),
                    envelope.kind == .response || envelope.kind == .errorResponse, envelope.id == request
                {
                    answered = true
                }
                deliver(message)
            }
        }
        return (parser.lastEventID, answered)
    }

    private func deliver(_ message: ByteBuffer) {
        if state.withLock({ $0.protocolVersion == nil }) { noteNegotiatedVersion(message) }
        let events = self.events
        // Each message is a burst of its own: the session flushes what it produced.
        if loop.inEventLoop {
            events.upstreamMessage(.message(message))
            events.upstreamReadComplete()
        } else {
            loop.execute {
                events.upstreamMessage(.message(message))
                events.upstreamReadComplete()
            }
        }
    }

    /// The version the server chose, read from its answer to initialize, for the headers of later requests.
    private func noteNegotiatedVersion(_ message: ByteBuffer) {
        guard case .success(let envelope) = MessageInspector.inspect(message), envelope.kind == .response,
            let id = envelope.id, state.withLock({ $0.initializeID == id }), let range = envelope.result,
            let result = message.withUnsafeReadableBytes({ try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[range])) }),
            let version = result["protocolVersion"]?.stringValue
        else { return }
        state.withLock { $0.protocolVersion = version }
    }

    /// A request that got no answer from the server gets one from Warden, so the client never hangs.
    private func failRequest(_ envelope: MessageEnvelope, _ reason: String) {
        guard envelope.kind == .request, let id = envelope.id else { return }
        deliver(ByteBuffer(bytes: JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.internalError, message: reason)))
    }

    // MARK: The server's own stream

    private func openStream(lastEventID: String?, attempt: Int) {
        guard attempt < 5 else { return }
        let task = Task {
            let (sessionID, version) = self.state.withLock { ($0.sessionID, $0.protocolVersion) }
            guard let sessionID else { return }
            var request = self.makeRequest(method: .GET, sessionID: sessionID, protocolVersion: version)
            request.headers.add(name: "Accept", value: "text/event-stream")
            if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
            var resumeFrom = lastEventID
            do {
                let response = try await self.client.execute(request, deadline: .distantFuture)
                // 405: the server offers no stream of its own, which it may.
                guard response.status == .ok else { return }
                resumeFrom = try await self.readEvents(response.body, answering: nil).0 ?? resumeFrom
            } catch {
                if Task.isCancelled { return }
            }
            if Task.isCancelled || self.state.withLock({ $0.closed }) { return }
            try? await Task.sleep(for: .milliseconds(200 << attempt))
            self.openStream(lastEventID: resumeFrom, attempt: attempt + 1)
        }
        state.withLock { $0.streamTask = task }
    }

    // MARK: Helpers

    private func makeRequest(method: HTTPMethod, sessionID: String?, protocolVersion: String?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let sessionID { request.headers.replaceOrAdd(name: "Mcp-Session-Id", value: sessionID) }
        if let protocolVersion { request.headers.replaceOrAdd(name: "MCP-Protocol-Version", value: protocolVersion) }
        return request
    }

    private static func metaVersion(_ message: ByteBuffer, _ envelope: MessageEnvelope) -> String? {
        guard let params = envelope.params else { return nil }
        return message.withUnsafeReadableBytes { bytes -> String? in
            let slice = UnsafeRawBufferPointer(rebasing: bytes[params])
            guard slice.firstRange(of: Array(MetaKey.protocolVersion.utf8)) != nil, let value = try? JSONParser.parse(slice) else { return nil }
            return value["_meta"]?[MetaKey.protocolVersion]?.stringValue
        }
    }

    private static func routedName(_ message: ByteBuffer, _ envelope: MessageEnvelope) -> String? {
        guard let params = envelope.params, ["tools/call", "prompts/get", "resources/read"].contains(envelope.method ?? "") else { return nil }
        return message.withUnsafeReadableBytes { bytes -> String? in
            guard let value = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[params])) else { return nil }
            guard let name = value["name"]?.stringValue ?? value["uri"]?.stringValue else { return nil }
            // A value a header cannot carry as it is travels base64-encoded, as the specification says.
            if name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return name }
            return "=?base64?" + Data(name.utf8).base64EncodedString() + "?="
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        return "\(error)"
    }
}
