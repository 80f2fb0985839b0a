import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import WardenJSON
import WardenMCP

/// A remote Streamable HTTP server as an upstream: each message becomes a POST, answers come back as JSON or an
/// event stream, and a GET stream carries what the server sends on its own.
///
/// Credentials are the config's `headers`, never anything the agent sent. Notifications and responses are sent one
/// after another, each finished before the next message starts, so the server sees `notifications/initialized`
/// before the requests that follow it; requests run concurrently.
final class HTTPUpstream: UpstreamLink, @unchecked Sendable {
    // @unchecked: the mutable state is in `state`, behind a mutex; the rest is immutable.
    private let url: URL
    private let headers: [(String, String)]
    private let client: HTTPClient
    private let loop: any EventLoop
    private let events: any UpstreamEvents
    private let maxMessageSize: Int
    private let requestTimeout: TimeAmount
    private let logger: Logger
    private let queue: AsyncStream<ByteBuffer>.Continuation
    private let sender: Task<Void, Never>

    private struct State {
        var sessionID: String?
        var protocolVersion: String?
        var initializeID: JSONRPCID?
        var streamTask: Task<Void, Never>?
        var closed = false
        var requests: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    init(
        url: URL,
        headers: [(String, String)],
        client: HTTPClient,
        loop: any EventLoop,
        events: any UpstreamEvents,
        maxMessageSize: Int,
        requestTimeout: Duration,
        logger: Logger
    ) {
        self.url = url
        self.headers = headers
        self.client = client
        self.loop = loop
        self.events = events
        self.maxMessageSize = maxMessageSize
        self.requestTimeout = .nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000 + requestTimeout.components.attoseconds / 1_000_000_000)
        self.logger = logger
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        self.queue = continuation
        let box = SenderBox()
        self.sender = Task { await box.run(stream) }
        box.upstream = self
    }

    /// Holds the upstream weakly for the sender task, so the task does not keep a closed upstream alive.
    private final class SenderBox: @unchecked Sendable {
        weak var upstream: HTTPUpstream?

        func run(_ stream: AsyncStream<ByteBuffer>) async {
            for await message in stream {
                guard let upstream else { return }
                await upstream.dispatch(message)
            }
        }
    }

    func send(_ message: ByteBuffer) {
        queue.yield(message)
    }

    func close() {
        let (sessionID, tasks) = state.withLock { state -> (String?, [Task<Void, Never>]) in
            guard !state.closed else { return (nil, []) }
            state.closed = true
            let tasks = state.requests + [state.streamTask].compactMap { $0 }
            return (state.sessionID, tasks)
        }
        queue.finish()
        for task in tasks { task.cancel() }
        guard let sessionID else { return }
        // The remote session ends with ours; a server that does not allow DELETE answers 405, which is fine.
        let request = makeRequest(method: .DELETE, sessionID: sessionID, protocolVersion: nil)
        let client = self.client
        let timeout = requestTimeout
        Task { _ = try? await client.execute(request, timeout: timeout) }
    }

    // MARK: Sending

    private func dispatch(_ message: ByteBuffer) async {
        guard case .success(let envelope) = MessageInspector.inspect(message) else { return }
        if envelope.kind == .request {
            if envelope.method == "initialize" {
                // Everything after the handshake needs the session id its answer brings: wait for it.
                state.withLock { $0.initializeID = envelope.id }
                await post(message, envelope: envelope)
                return
            }
            let task = Task { await self.post(message, envelope: envelope) }
            state.withLock { state in
                state.requests.removeAll { $0.isCancelled }
                state.requests.append(task)
            }
        } else {
            await post(message, envelope: envelope)
            if envelope.method == "notifications/initialized" { openStream(lastEventID: nil, attempt: 0) }
        }
    }

    private func post(_ message: ByteBuffer, envelope: MessageEnvelope) async {
        let (sessionID, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
        var request = makeRequest(method: .POST, sessionID: sessionID, protocolVersion: version ?? Self.metaVersion(message, envelope))
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        if let method = envelope.method, Self.metaVersion(message, envelope).map({ ProtocolRevision($0).isStateless }) ?? false {
            request.headers.add(name: "Mcp-Method", value: method)
            if let name = Self.routedName(message, envelope) { request.headers.add(name: "Mcp-Name", value: name) }
        }
        request.body = .bytes(message)
        do {
            let response = try await client.execute(request, timeout: requestTimeout)
            if envelope.method == "initialize", let id = response.headers.first(name: "Mcp-Session-Id") {
                state.withLock { $0.sessionID = id }
            }
            try await receive(response, answering: envelope)
        } catch {
            guard !Task.isCancelled else { return }
            logger.warning("request to the upstream failed", metadata: ["error": "\(error)", "method": "\(envelope.method ?? "response")"])
            failRequest(envelope, "the upstream server could not be reached: \(Self.describe(error))")
        }
    }

    private func receive(_ response: HTTPClientResponse, answering envelope: MessageEnvelope) async throws {
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        if response.status == .accepted || (envelope.kind != .request && response.status.code < 300) { return }
        if contentType.hasPrefix("text/event-stream") && response.status == .ok {
            var (lastEventID, answered) = try await readEvents(response.body, answering: envelope.id)
            // The stream ended before the answer: resume it where it broke, as a resumable server allows.
            var attempt = 0
            while !answered, envelope.kind == .request, let resumeFrom = lastEventID, attempt < 3, !Task.isCancelled {
                attempt += 1
                try? await Task.sleep(for: .milliseconds(100 << attempt))
                let (sessionID, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
                var resume = makeRequest(method: .GET, sessionID: sessionID, protocolVersion: version)
                resume.headers.add(name: "Accept", value: "text/event-stream")
                resume.headers.add(name: "Last-Event-ID", value: resumeFrom)
                guard let resumed = try? await client.execute(resume, timeout: requestTimeout), resumed.status == .ok else { break }
                let more = try await readEvents(resumed.body, answering: envelope.id)
                lastEventID = more.0 ?? lastEventID
                answered = more.1
            }
            if !answered { failRequest(envelope, "the upstream server's event stream ended before its answer") }
            return
        }
        let body = try await response.body.collect(upTo: maxMessageSize)
        if contentType.hasPrefix("application/json"), case .success(let answer) = MessageInspector.inspect(body) {
            if answer.kind == .errorResponse, answer.id == nil, envelope.kind == .request {
                // Rejected before the server read the id: the error belongs to this request.
                let text = answer.error.flatMap { range in
                    body.withUnsafeReadableBytes { try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[range])) }
                }?["message"]?.stringValue
                failRequest(envelope, "the upstream server refused the request (HTTP \(response.status.code)): \(text ?? "no reason given")")
                return
            }
            if envelope.kind == .request { deliver(body) }
            return
        }
        if response.status == .notFound, state.withLock({ $0.sessionID }) != nil {
            failRequest(envelope, "the upstream server ended the session (HTTP 404)")
            return
        }
        failRequest(envelope, "the upstream server answered HTTP \(response.status.code)")
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
        loop.execute { events.upstreamMessage(.message(message)) }
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
