import Foundation
import Logging
import NIOCore
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenProxy

/// One downstream MCP session of the gateway and its upstream, confined to one event loop.
///
/// HTTP handlers hand it the client's messages; it runs them through the session's interceptor, sends what goes
/// upstream, and routes what comes back to the HTTP response waiting for it: a POST's answer (with the progress and
/// server requests that belong to it) or the session's GET stream. Messages nobody is listening for wait in a
/// bounded backlog for the next GET.
final class GatewaySession: UpstreamEvents, @unchecked Sendable {
    // @unchecked: every stored var is touched only on `loop`.
    let id: String
    let serverName: String
    let agent: AgentIdentity
    /// A 2026-07-28 session shared by one agent's stateless requests: ids are swapped for the gateway's own.
    let stateless: Bool
    let loop: any EventLoop
    var driver: InterceptorDriver!
    let logger: Logger
    let startUpstream: @Sendable (GatewaySession) async throws -> any UpstreamLink
    /// Where the session's restart backoff is reported, for `/readyz` and `/metrics`.
    let health: UpstreamHealth?

    enum UpstreamState {
        case idle
        case starting
        case ready(any UpstreamLink)
        /// Down after a failure; the next request may start it again once `retryAt` passes.
        case down(retryAt: NIODeadline, reason: String)
        case closed
    }

    var upstream: UpstreamState = .idle
    /// Messages written while the upstream starts.
    var outbox: [ByteBuffer] = []
    /// Failures of the upstream in a row, with no request served in between; the restart backoff grows with it.
    var failures = 0
    /// Set when the upstream's output closed before its start completed.
    var closedWhileStarting: String?
    /// The client's handshake, replayed to a restarted upstream so it serves the session as before.
    var initializeMessage: ByteBuffer?
    var initializedNotification: ByteBuffer?
    /// Ids of replayed handshakes, whose answers are the gateway's business only.
    var replayIDs: Set<JSONRPCID> = []

    struct Waiter {
        var sink: ResponseSink
        var streamID: Int
        /// The id the client used, when the session swapped it for its own.
        var clientID: JSONRPCID?
        /// The client's connection closed before the answer came; the answer only goes to the replay log.
        var isAbandoned = false
    }

    var waiters: [JSONRPCID: Waiter] = [:]
    var waiterOrder: [JSONRPCID] = []
    /// Progress tokens of waiting requests, so their progress goes to the right response.
    var progressRoutes: [String: JSONRPCID] = [:]
    var nextInternalID = 1
    var standalone: ResponseSink?
    var backlog: [SinkItem] = []
    var backlogBytes = 0
    static let backlogLimit = 1000
    /// Recent events, for a client resuming a stream with `Last-Event-ID`.
    var replayLog: [(streamID: Int, item: SinkItem)] = []
    var replayBytes = 0
    static let replayLimit = 512
    /// Bytes the backlog, and the replay log, may hold at most (besides their counts), so that neither grows with
    /// the size of the messages a server sends.
    static let retainedBytesLimit = 4 << 20
    /// Sinks over their high-water mark: while any is, the session does not read from its upstream.
    var fullSinks: Set<ObjectIdentifier> = []
    /// Notifications dropped because a client did not take them and the upstream could not be paused.
    var droppedNotifications = 0
    var nextEventNumber = 1
    var nextStreamID = 1
    /// Stream 0 is the session's GET stream.
    static let standaloneStream = 0

    var lastActive: NIODeadline
    private(set) var isClosed = false
    var streamsEnded = false

    init(
        id: String,
        serverName: String,
        agent: AgentIdentity,
        stateless: Bool,
        loop: any EventLoop,
        interceptor: SessionInterceptor,
        logger: Logger,
        health: UpstreamHealth? = nil,
        startUpstream: @escaping @Sendable (GatewaySession) async throws -> any UpstreamLink
    ) {
        self.id = id
        self.serverName = serverName
        self.agent = agent
        self.stateless = stateless
        self.loop = loop
        self.logger = logger
        self.startUpstream = startUpstream
        self.health = health
        self.lastActive = .now()
        self.driver = InterceptorDriver(loop: loop, interceptor: interceptor) { [unowned self] deliveries, _ in self.deliver(deliveries) }
    }

    var pendingRequests: Int { waiters.count }
    /// Requests whose client still waits for the answer.
    var liveRequests: Int { waiters.values.reduce(0) { $0 + ($1.isAbandoned ? 0 : 1) } }
    /// Whether no client listens to the session any more: no GET stream, and no POST waiting for its answer.
    var clientIsGone: Bool { standalone == nil && liveRequests == 0 }
    var hasCallTimeout: Bool { driver.hasCallTimeout }

    // MARK: - From the client

    /// Handles one message a client POSTed. A request gets `sink`, which receives its answer and what belongs to it.
    func receiveFromClient(_ buffer: ByteBuffer, envelope: MessageEnvelope, sink: ResponseSink?) {
        loop.preconditionInEventLoop()
        lastActive = .now()
        guard !isClosed else {
            if let sink, let id = envelope.id {
                sink.yield(item(JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.internalError, message: "the session has ended"), final: true))
            }
            return
        }
        var message = buffer
        if envelope.kind == .request, let id = envelope.id, let sink {
            var internalID = id
            var clientID: JSONRPCID?
            if stateless {
                internalID = JSONRPCID(.number(JSONNumber(nextInternalID)))!
                nextInternalID += 1
                clientID = id
                // Never the client's id instead: the shared session's answers are matched by Warden's own ids.
                guard let swapped = MessageSplice.replacingID(in: buffer, with: internalID) else {
                    let text = "Invalid Request: Warden could not rewrite this request's id"
                    sink.yield(item(JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.invalidRequest, message: text), final: true))
                    return
                }
                message = swapped
            } else if waiters[id] != nil {
                let text = "Invalid Request: a request with id \(id.raw) is still in progress in this session"
                sink.yield(item(JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.invalidRequest, message: text), final: true))
                return
            }
            let streamID = nextStreamID
            nextStreamID += 1
            waiters[internalID] = Waiter(sink: sink, streamID: streamID, clientID: clientID)
            waiterOrder.append(internalID)
            if let token = Self.progressToken(in: buffer, params: envelope.params) { progressRoutes[token] = internalID }
            if envelope.method == "initialize" { initializeMessage = buffer }
        } else if envelope.method == "notifications/initialized" {
            initializedNotification = buffer
        } else if stateless, envelope.method == "notifications/cancelled" {
            message = swapCancelledID(buffer, params: envelope.params) ?? buffer
        }
        driver.fromClient(.message(message))
    }

    /// The client stopped waiting for a request's answer (its connection closed before it came).
    func abandoned(_ sink: ResponseSink) {
        // The answer still goes to the replay log, so a client that resumes with Last-Event-ID gets it.
        for (id, waiter) in waiters where waiter.sink === sink {
            waiters[id]?.isAbandoned = true
        }
        if standalone === sink { standalone = nil }
        sink.finish(discarding: true)
        released(sink)
    }

    // MARK: - From the upstream

    func upstreamMessage(_ frame: FramedMessage) {
        loop.preconditionInEventLoop()
        if case .message(let buffer) = frame, !replayIDs.isEmpty,
            case .success(let envelope) = MessageInspector.inspect(buffer), envelope.kind != .request,
            let id = envelope.id, replayIDs.remove(id) != nil
        {
            return
        }
        if failures > 0 { noteServed(frame) }
        driver.fromServer(frame)
    }

    func upstreamClosed(reason: String) {
        loop.preconditionInEventLoop()
        if case .starting = upstream {
            // It died before the session saw it ready: the start's completion handles it.
            closedWhileStarting = reason
            return
        }
        guard case .ready(let link) = upstream else { return }
        // Let go of the dead link (a shared upstream's port leaves it); a restart makes a new one.
        link.close()
        fullSinks.removeAll()
        let backoff = noteFailure()
        logger.warning("upstream stopped", metadata: ["reason": "\(reason)", "retry.ms": "\(backoff)"])
        upstream = isClosed ? .closed : .down(retryAt: .now() + .milliseconds(Int64(backoff)), reason: reason)
        driver.upstreamClosed()
    }

    // MARK: - Ending

    /// Ends the session: waiting requests get an error, streams end, the upstream stops.
    func close(reason: String) {
        loop.preconditionInEventLoop()
        guard !isClosed else { return }
        isClosed = true
        for (id, waiter) in waiters {
            let error = JSONRPCMessage.error(id: waiter.clientID ?? id, code: JSONRPCErrorCode.internalError, message: reason)
            waiter.sink.yield(item(error, final: true))
        }
        waiters.removeAll()
        waiterOrder.removeAll()
        standalone?.finish()
        standalone = nil
        fullSinks.removeAll()
        if case .ready(let link) = upstream { link.close() }
        upstream = .closed
        health?.remove(session: id)
        driver.cancelWork()
    }

    /// Answers calls the upstream took too long with; run a few times a second when a call timeout is set.
    func expireOverdueCalls() {
        driver.expireOverdueCalls()
    }

    // MARK: - Delivering

    private func deliver(_ deliveries: [Delivery]) {
        for delivery in deliveries {
            if delivery.destination == .server {
                sendUpstream(delivery.payload.buffer)
            } else {
                route(delivery.payload.buffer, envelope: delivery.envelope)
            }
        }
    }

    private func sendUpstream(_ message: ByteBuffer) {
        // The last word before a line-framed upstream: Warden's own encodings (the aggregate's re-encoded calls, a
        // replayed handshake) can hold raw line separators too; a raw CR or LF here would be a bug, refused anyway.
        var buffer = message
        switch message.withUnsafeReadableBytes({ LineSafety.check($0) }) {
        case .safe:
            break
        case .rewritten(let bytes):
            buffer = ByteBuffer(bytes: bytes)
        case .refused(let reason):
            logger.error("a message was not sent upstream", metadata: ["reason": "\(reason)"])
            failUpstreamBound(message, reason: "Warden will not send this message upstream: \(reason)")
            return
        }
        switch upstream {
        case .ready(let link):
            link.send(buffer)
        case .starting:
            outbox.append(buffer)
        case .idle:
            outbox.append(buffer)
            start(replaying: false)
        case .down(let retryAt, let reason):
            if NIODeadline.now() >= retryAt {
                outbox.append(buffer)
                start(replaying: true)
            } else {
                failUpstreamBound(buffer, reason: "the upstream server is down (\(reason)); Warden retries it shortly")
            }
        case .closed:
            failUpstreamBound(buffer, reason: "the session has ended")
        }
    }

    /// A request that cannot reach the upstream is answered with an error at once, never left to hang.
    private func failUpstreamBound(_ buffer: ByteBuffer, reason: String) {
        guard case .success(let envelope) = MessageInspector.inspect(buffer), envelope.kind == .request, let id = envelope.id else { return }
        driver.fromServer(.message(ByteBuffer(bytes: JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.internalError, message: reason))))
    }

    private func start(replaying: Bool) {
        upstream = .starting
        let replay = replaying ? (initializeMessage, initializedNotification) : (nil, nil)
        Task { [self] in
            do {
                let link = try await startUpstream(self)
                loop.execute {
                    guard !self.isClosed else {
                        link.close()
                        return
                    }
                    if let reason = self.closedWhileStarting {
                        self.closedWhileStarting = nil
                        link.close()
                        self.startFailed(reason: reason)
                        return
                    }
                    self.upstream = .ready(link)
                    if replaying { self.health?.restarted(server: self.serverName) }
                    if let initialize = replay.0, let id = Self.replayID(self.nextInternalID) {
                        // The restarted server learns the session's handshake; its answer goes nowhere.
                        self.nextInternalID += 1
                        self.replayIDs.insert(id)
                        link.send(MessageSplice.replacingID(in: initialize, with: id) ?? initialize)
                        if let initialized = replay.1 { link.send(initialized) }
                        self.logger.notice("upstream restarted; the session's handshake was replayed")
                    }
                    let queued = self.outbox
                    self.outbox.removeAll()
                    for message in queued { link.send(message) }
                }
            } catch {
                loop.execute { self.startFailed(reason: "it could not be started: \(error)") }
            }
        }
    }

    /// The upstream did not come up: what waited for it gets an error now, and a later request tries again.
    private func startFailed(reason: String) {
        closedWhileStarting = nil
        let backoff = noteFailure()
        logger.error("upstream did not start", metadata: ["reason": "\(reason)", "retry.ms": "\(backoff)"])
        upstream = .down(retryAt: .now() + .milliseconds(Int64(backoff)), reason: reason)
        let queued = outbox
        outbox.removeAll()
        for message in queued { failUpstreamBound(message, reason: "the upstream server is down (\(reason))") }
    }

    private static func replayID(_ number: Int) -> JSONRPCID? {
        JSONRPCID(.string("warden-replay-\(number)"))
    }

    /// Sends one message to whichever response is waiting for it.
    // MARK: - Message surgery

    /// The JSON text of `params._meta.progressToken` (or `params.progressToken` for a progress notification).
    static func progressToken(in buffer: ByteBuffer, params: Range<Int>?, key: String = "_meta") -> String? {
        guard let params else { return nil }
        return buffer.withUnsafeReadableBytes { bytes -> String? in
            let slice = UnsafeRawBufferPointer(rebasing: bytes[params])
            // Most messages carry no token; skip the parse for them.
            guard slice.firstRange(of: Array("progressToken".utf8)) != nil,
                let value = try? JSONParser.parse(slice)
            else { return nil }
            let token = key == "_meta" ? value["_meta"]?["progressToken"] : value["progressToken"]
            guard let token, token != .null else { return nil }
            return token.encodedString
        }
    }

    /// The listen request a subscription notification belongs to, and the notification as its client must see it.
    func subscriptionTarget(_ buffer: ByteBuffer, params: Range<Int>?) -> (JSONRPCID, ByteBuffer)? {
        guard let params else { return nil }
        return buffer.withUnsafeReadableBytes { bytes -> (JSONRPCID, ByteBuffer)? in
            let slice = UnsafeRawBufferPointer(rebasing: bytes[params])
            guard slice.firstRange(of: Array(MetaKey.subscriptionId.utf8)) != nil,
                case .object(var object)? = try? JSONParser.parse(slice),
                case .object(var meta)? = object["_meta"],
                let value = meta[MetaKey.subscriptionId], let id = JSONRPCID(value), let waiter = waiters[id]
            else { return nil }
            guard let clientID = waiter.clientID else { return (id, buffer) }
            meta[MetaKey.subscriptionId] = clientID.value
            object["_meta"] = .object(meta)
            return (id, ByteBuffer(bytes: MessageSplice.replacing(params, in: bytes, with: .object(object))))
        }
    }

    /// A stateless client's cancellation names its own id; the upstream knows the gateway's.
    private func swapCancelledID(_ buffer: ByteBuffer, params: Range<Int>?) -> ByteBuffer? {
        guard let params else { return nil }
        return buffer.withUnsafeReadableBytes { bytes -> ByteBuffer? in
            guard var value = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[params])),
                let requested = value["requestId"].flatMap({ JSONRPCID($0) }),
                let internalID = waiters.first(where: { $0.value.clientID == requested })?.key,
                case .object(var object) = value
            else { return nil }
            object["requestId"] = internalID.value
            value = .object(object)
            return ByteBuffer(bytes: MessageSplice.replacing(params, in: bytes, with: value))
        }
    }
}
