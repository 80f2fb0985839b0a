public import Logging
public import NIOCore
import WardenJSON
public import WardenMCP

/// One stdio upstream process shared by every session of a server (`upstream: shared`).
///
/// Each session talks to it through its own port. Request ids and progress tokens are prefixed with the port's
/// number on the way in and restored on the way out, so sessions cannot see or collide with each other's. The
/// first `initialize` goes to the process; later sessions get its answer under their own id. Notifications the
/// server sends on its own go to every session; a request it sends (elicitation, sampling) goes to the session
/// whose call is in flight (the most recent one, if several are). Everything runs on one event loop: every
/// session of a shared server is placed on it.
public final class SharedStdioUpstream: UpstreamEvents, @unchecked Sendable {
    // @unchecked: every stored var is touched only on `loop`.
    public let loop: any EventLoop
    private let start: @Sendable (SharedStdioUpstream) async throws -> any UpstreamLink
    private let logger: Logger

    private enum State {
        case stopped
        case starting([ByteBuffer])
        case running(any UpstreamLink)
    }

    private var state: State = .stopped
    private var ports: [Int: SharedPort] = [:]
    private var nextPort = 1
    /// The answer to the first `initialize`, as its `result` value.
    private var initializeResult: JSONValue?
    private var initializing = false
    private var waitingForInitialize: [(port: Int, id: JSONRPCID)] = []
    private var sentInitialized = false
    /// Requests in flight by prefixed id, newest last, for routing the server's own requests.
    private var inflight: [String] = []

    public init(loop: any EventLoop, logger: Logger, start: @escaping @Sendable (SharedStdioUpstream) async throws -> any UpstreamLink) {
        self.loop = loop
        self.logger = logger
        self.start = start
    }

    /// A port for one session; the process starts with the first message any port sends.
    public func attach(_ events: any UpstreamEvents) -> SharedPort {
        loop.preconditionInEventLoop()
        let number = nextPort
        nextPort += 1
        let port = SharedPort(number: number, upstream: self, events: events)
        ports[number] = port
        return port
    }

    func detach(_ port: SharedPort) {
        ports[port.number] = nil
        guard ports.isEmpty, case .running(let link) = state else { return }
        // The last session ended: the process goes with it.
        link.close()
        reset()
    }

    private func reset() {
        state = .stopped
        initializeResult = nil
        initializing = false
        waitingForInitialize = []
        sentInitialized = false
        inflight = []
    }

    // MARK: From a session

    func send(_ message: ByteBuffer, from port: SharedPort) {
        guard case .success(let envelope) = MessageInspector.inspect(message) else { return }
        switch envelope.kind {
        case .request:
            guard let id = envelope.id else { return }
            if envelope.method == "initialize" {
                if let initializeResult {
                    port.events.upstreamMessage(.message(ByteBuffer(bytes: JSONRPCMessage.result(id: id, result: initializeResult))))
                    return
                }
                waitingForInitialize.append((port.number, id))
                if initializing { return }
                initializing = true
            }
            let prefixed = Self.prefix(id, port: port.number)
            inflight.append(prefixed.raw)
            var rewritten = MessageSplice.replacingID(in: message, with: prefixed) ?? message
            rewritten = Self.prefixingProgressToken(rewritten, port: port.number) ?? rewritten
            write(rewritten)
        case .notification:
            if envelope.method == "notifications/initialized" {
                if sentInitialized { return }
                sentInitialized = true
            }
            if envelope.method == "notifications/cancelled" {
                write(Self.prefixingCancelledID(message, params: envelope.params, port: port.number) ?? message)
                return
            }
            write(message)
        case .response, .errorResponse:
            // Answers to the server's own requests keep the server's ids.
            write(message)
        }
    }

    private func write(_ message: ByteBuffer) {
        switch state {
        case .running(let link):
            link.send(message)
        case .starting(var queued):
            queued.append(message)
            state = .starting(queued)
        case .stopped:
            state = .starting([message])
            Task { [self] in
                do {
                    let link = try await start(self)
                    loop.execute {
                        guard case .starting(let queued) = self.state else {
                            link.close()
                            return
                        }
                        self.state = .running(link)
                        for message in queued { link.send(message) }
                    }
                } catch {
                    loop.execute {
                        self.logger.error("shared upstream did not start", metadata: ["error": "\(error)"])
                        self.reset()
                        for port in self.ports.values { port.events.upstreamClosed(reason: "it could not be started: \(error)") }
                    }
                }
            }
        }
    }

    // MARK: From the process

    public func upstreamMessage(_ frame: FramedMessage) {
        guard case .message(let message) = frame, case .success(let envelope) = MessageInspector.inspect(message) else {
            // An oversized answer cannot be routed by id; every session's waiting requests will time out or fail
            // when the process goes.
            logger.warning("a message from the shared upstream was dropped")
            return
        }
        switch envelope.kind {
        case .response, .errorResponse:
            guard let id = envelope.id, let (number, original) = Self.unprefix(id) else { return }
            inflight.removeAll { $0 == id.raw }
            if initializing, let waiting = waitingForInitialize.first, waiting.port == number, waiting.id == original {
                initializing = false
                let everyone = waitingForInitialize
                waitingForInitialize = []
                if envelope.kind == .response, let range = envelope.result {
                    initializeResult = message.withUnsafeReadableBytes { try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[range])) }
                }
                for (port, waitingID) in everyone {
                    let answer = MessageSplice.replacingID(in: message, with: waitingID) ?? message
                    ports[port]?.events.upstreamMessage(.message(answer))
                }
                return
            }
            let restored = MessageSplice.replacingID(in: message, with: original) ?? message
            ports[number]?.events.upstreamMessage(.message(restored))
        case .notification:
            if envelope.method == "notifications/progress", let routed = Self.unprefixingProgress(message, params: envelope.params) {
                ports[routed.port]?.events.upstreamMessage(.message(routed.message))
                return
            }
            for port in ports.values { port.events.upstreamMessage(.message(message)) }
        case .request:
            // The server asks the client something: the session with the newest call in flight is the one it serves.
            let owner = inflight.last.flatMap { JSONRPCID(raw: $0) }.flatMap { Self.unprefix($0)?.0 } ?? ports.keys.max()
            if let owner { ports[owner]?.events.upstreamMessage(.message(message)) }
        }
    }

    public func upstreamClosed(reason: String) {
        reset()
        for port in ports.values { port.events.upstreamClosed(reason: reason) }
    }

    // MARK: Ids and tokens

    static func prefix(_ id: JSONRPCID, port: Int) -> JSONRPCID {
        JSONRPCID(.string("p\(port):\(id.raw)"))!
    }

    static func unprefix(_ id: JSONRPCID) -> (Int, JSONRPCID)? {
        guard case .string(let text) = id.value, text.hasPrefix("p"), let colon = text.firstIndex(of: ":"),
            let port = Int(text[text.index(after: text.startIndex)..<colon]),
            let original = JSONRPCID(raw: String(text[text.index(after: colon)...]))
        else { return nil }
        return (port, original)
    }

    private static func mapParams(_ message: ByteBuffer, params: Range<Int>?, _ change: (inout JSONObject) -> Bool) -> ByteBuffer? {
        guard let params else { return nil }
        return message.withUnsafeReadableBytes { bytes -> ByteBuffer? in
            guard case .object(var object)? = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[params])), change(&object) else {
                return nil
            }
            return ByteBuffer(bytes: MessageSplice.replacing(params, in: bytes, with: .object(object)))
        }
    }

    static func prefixingProgressToken(_ message: ByteBuffer, port: Int) -> ByteBuffer? {
        guard message.readableBytesView.firstRange(of: Array("progressToken".utf8)) != nil,
            case .success(let envelope) = MessageInspector.inspect(message)
        else { return nil }
        return mapParams(message, params: envelope.params) { params in
            guard case .object(var meta)? = params["_meta"], let token = meta["progressToken"], token != .null else { return false }
            meta["progressToken"] = .string("p\(port):\(token.encodedString)")
            params["_meta"] = .object(meta)
            return true
        }
    }

    static func unprefixingProgress(_ message: ByteBuffer, params: Range<Int>?) -> (port: Int, message: ByteBuffer)? {
        var port: Int?
        let restored = mapParams(message, params: params) { params in
            guard case .string(let text)? = params["progressToken"], text.hasPrefix("p"), let colon = text.firstIndex(of: ":"),
                let number = Int(text[text.index(after: text.startIndex)..<colon]),
                let token = try? JSONParser.parse(String(text[text.index(after: colon)...]))
            else { return false }
            port = number
            params["progressToken"] = token
            return true
        }
        guard let port, let restored else { return nil }
        return (port, restored)
    }

    static func prefixingCancelledID(_ message: ByteBuffer, params: Range<Int>?, port: Int) -> ByteBuffer? {
        mapParams(message, params: params) { params in
            guard let value = params["requestId"], let id = JSONRPCID(value) else { return false }
            params["requestId"] = prefix(id, port: port).value
            return true
        }
    }
}

/// One session's end of a shared upstream.
public final class SharedPort: UpstreamLink, @unchecked Sendable {
    // @unchecked: used only on the shared upstream's loop.
    let number: Int
    let upstream: SharedStdioUpstream
    let events: any UpstreamEvents

    init(number: Int, upstream: SharedStdioUpstream, events: any UpstreamEvents) {
        self.number = number
        self.upstream = upstream
        self.events = events
    }

    public func send(_ message: ByteBuffer) { upstream.send(message, from: self) }
    public func close() { upstream.detach(self) }
}
