public import Logging
import NIOCore
import WardenJSON
public import WardenMCP
public import WardenPolicy
public import WardenStore

/// Applies policy to the messages of one downstream session and says what to send where.
///
/// It knows nothing of pipes or sockets: a transport feeds it framed messages from either side and
/// delivers what it returns, so the same logic serves stdio and HTTP. Only `tools/call` and `tools/list`
/// are interpreted; every other message goes on with its bytes untouched. Not thread-safe: a transport
/// calls it from one thread (its event loop) at a time.
public final class SessionInterceptor {
    let policy: PolicyHolder
    let identity: SessionIdentity
    let now: @Sendable () -> Timestamp
    let logger: Logger
    let onDecision: @Sendable (DecisionRecord) -> Void
    let maxMessageSize: Int
    let limits: (any LimitStore)?

    /// Every request of the client Warden accepted and has not finished, under Warden's own keys.
    var calls = CallTable()
    /// What the client said about itself in `initialize`.
    var client: ClientInfo?
    /// Categories of the tools the server listed, from their names and descriptions.
    var categories: [ScalarKey: ToolCategory] = [:]
    /// Store operations for the transport to run off the event loop.
    var storeWork: [StoreWork] = []
    /// Where decisions are recorded; nil when this session keeps no audit trail.
    let audit: (any AuditStore)?
    /// Counters and histograms, when the session reports metrics.
    let metrics: WardenMetrics?
    /// How long the upstream may take to answer a tools/call before Warden answers for it; nil waits forever.
    public let callTimeout: Duration?
    /// Tool names the upstream listed: the only tool names that become metric labels.
    var listedTools: Set<ScalarKey> = []
    /// Where held calls wait for a person; nil when this session cannot hold calls.
    let approvals: ApprovalChannel?
    /// Approval questions Warden put to the client's user, by Warden's request id, with their approval ids.
    var elicitations: [JSONRPCID: String] = [:]
    var nextElicitation = 1
    /// What the server's listings said about each tool, merged across pages and listings.
    var listed: [ScalarKey: ListedTool] = [:]
    /// Whether a listing reached its last page: a tool it did not show is not the server's.
    var listingComplete = false
    /// Warden's own listing on its way; the calls waiting for it are in `calls`, `awaitingDefinitions`.
    var ownListing: OwnListing?
    /// Tools whose schema failure, poisoning or pin change under `pins: warn` was already reported, so each is
    /// reported once.
    var reportedSchemaFailures: Set<ScalarKey> = []
    var reportedFindings: Set<ScalarKey> = []
    var reportedPins: Set<ScalarKey> = []
    /// Where tool definitions are pinned; nil when this session pins nothing.
    let pins: PinKeeper?
    /// How each listed tool stands with its pin.
    var standings: [ScalarKey: PinKeeper.Standing] = [:]

    public init(
        policy: PolicyHolder,
        identity: SessionIdentity,
        maxMessageSize: Int = 4 * 1024 * 1024,
        limits: (any LimitStore)? = nil,
        approvals: ApprovalChannel? = nil,
        audit: (any AuditStore)? = nil,
        pins: PinKeeper? = nil,
        metrics: WardenMetrics? = nil,
        callTimeout: Duration? = nil,
        logger: Logger,
        now: @escaping @Sendable () -> Timestamp = Timestamp.now,
        onDecision: @escaping @Sendable (DecisionRecord) -> Void = { _ in }
    ) {
        self.policy = policy
        self.identity = identity
        self.maxMessageSize = maxMessageSize
        self.limits = limits
        self.approvals = approvals
        self.audit = audit
        self.pins = pins
        self.metrics = metrics
        self.callTimeout = callTimeout
        self.logger = logger
        self.now = now
        self.onDecision = onDecision
    }

    /// The number of client requests still waiting for the server.
    public var inflightCount: Int { calls.inflightCount }

    /// Store work produced by the messages handled so far; the transport runs each and hands its resolution back.
    public func takeStoreWork() -> [StoreWork] {
        defer { storeWork.removeAll(keepingCapacity: true) }
        return storeWork
    }

    // MARK: - From the client

    /// Handles one framed message from the agent's client.
    public func receiveFromClient(_ frame: FramedMessage, into deliveries: inout [Delivery]) {
        switch frame {
        case .oversized(let byteCount, let head):
            let id = head.withUnsafeReadableBytes { IDRecovery.topLevelID(in: $0) }
            logger.warning("client message refused: too large", metadata: ["message.bytes": "\(byteCount)"])
            reply(
                error: JSONRPCErrorCode.invalidRequest,
                "Invalid Request: the message is \(byteCount) bytes; this proxy accepts at most \(maxMessageSize)",
                id: id,
                into: &deliveries
            )
        case .message(let buffer):
            receiveClientMessage(buffer, into: &deliveries)
        }
    }

    private func receiveClientMessage(_ received: ByteBuffer, into deliveries: inout [Delivery]) {
        // First, that every reader sees this as one message: a raw CR would split it in Python's reader (a hidden
        // tools/call inside a notification); U+2028 and its kin are escaped so no reader splits on them.
        var buffer = received
        switch received.withUnsafeReadableBytes({ LineSafety.check($0) }) {
        case .safe:
            break
        case .rewritten(let bytes):
            buffer = ByteBuffer(bytes: bytes)
        case .refused(let reason):
            let id = received.withUnsafeReadableBytes { IDRecovery.topLevelID(in: $0) }
            logger.notice("client message refused: readers would split it", metadata: ["problem": "\(reason)"])
            reply(
                error: JSONRPCErrorCode.invalidRequest,
                "Invalid Request: \(reason); some servers read that as a line break, so Warden does not forward it",
                id: id,
                into: &deliveries
            )
            return
        }
        let inspected = buffer.withUnsafeReadableBytes { MessageInspector.inspect($0) }
        let envelope: MessageEnvelope
        switch inspected {
        case .success(let value):
            envelope = value
        case .failure(.parseError(let message)):
            reply(error: JSONRPCErrorCode.parseError, "Parse error: \(message)", id: nil, into: &deliveries)
            return
        case .failure(.invalidRequest(let message, let id)):
            reply(error: JSONRPCErrorCode.invalidRequest, "Invalid Request: \(message)", id: id, into: &deliveries)
            return
        case .failure(.batch):
            reply(
                error: JSONRPCErrorCode.invalidRequest,
                "Invalid Request: JSON-RPC batches are not part of MCP; send one message per line",
                id: nil,
                into: &deliveries
            )
            return
        }

        guard envelope.kind == .request, let id = envelope.id, let method = envelope.method else {
            receiveClientNonRequest(buffer, envelope: envelope, into: &deliveries)
            return
        }
        // Before any decision: two requests under one id would share their answers, and with them the settling
        // of each other's limits. The second is refused; the first goes on untouched.
        guard !calls.isInUse(id) else {
            logger.notice("client request refused: its id is already in use", metadata: ["request.id": "\(id.raw)", "mcp.method": "\(method)"])
            reply(
                error: JSONRPCErrorCode.invalidRequest,
                "Invalid Request: id \(id.raw) belongs to a request still in flight; a new request needs an id of its own",
                id: id,
                into: &deliveries
            )
            return
        }
        let kind: ForwardedCall.Kind
        switch method {
        case "tools/call":
            receiveToolCall(buffer, envelope: envelope, id: id, into: &deliveries)
            return
        case "tools/list":
            // Only a listing from its first page can show every tool; one resumed at a cursor shows a part.
            kind = .toolList(fromStart: parseMember(envelope.params, of: buffer)?["cursor"] == nil)
        case "initialize":
            if let params = parseMember(envelope.params, of: buffer) {
                client = ClientInfo.fromInitialize(params: params)
            }
            kind = .other
        default:
            kind = .other
        }
        guard let key = calls.open(clientID: id, state: { _ in .forwarded(ForwardedCall(kind: kind)) }) else { return }
        sendUpstream(buffer, key: key, call: ForwardedCall(kind: kind), into: &deliveries)
    }

    /// Notifications, and the client's answers to server-to-client requests.
    private func receiveClientNonRequest(_ buffer: ByteBuffer, envelope: MessageEnvelope, into deliveries: inout [Delivery]) {
        if envelope.kind == .notification, envelope.method == "tools/call" {
            // A tools/call without an id would reach the server unjudged; some servers run it anyway.
            logger.notice("client message refused: a tools/call without an id")
            reply(
                error: JSONRPCErrorCode.invalidRequest,
                "Invalid Request: a tools/call must carry an id; Warden does not forward one without",
                id: nil,
                into: &deliveries
            )
            return
        }
        if envelope.method == "notifications/cancelled" {
            receiveCancellation(buffer, envelope: envelope, into: &deliveries)
            return
        }
        if envelope.kind != .notification, let id = envelope.id, let approvalID = elicitations.removeValue(forKey: id) {
            receiveApprovalAnswer(buffer, envelope: envelope, approvalID: approvalID)
            return
        }
        deliveries.append(.toServer(.original(buffer)))
    }

    // MARK: - Helpers

    /// Whether a tools/call result says `isError: true`, read without decoding the result.
    static func isToolError(_ buffer: ByteBuffer, result: Range<Int>?) -> Bool {
        guard let result else { return false }
        return buffer.withUnsafeReadableBytes { bytes in
            let slice = UnsafeRawBufferPointer(rebasing: bytes[result])
            guard let members = try? JSONScanner.members(of: slice) else { return false }
            for member in members where member.hasKey("isError", in: slice) {
                return slice[member.valueRange.lowerBound] == UInt8(ascii: "t")
            }
            return false
        }
    }

    /// The member's value read strictly (no duplicate keys, no lone surrogates), nil when absent.
    func parseStrictly(_ range: Range<Int>?, of buffer: ByteBuffer) -> Result<JSONValue?, JSONParseError> {
        guard let range else { return .success(nil) }
        return buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) in
                try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: MessageInspector.maxDepth, strict: true)
            }
        }
    }

    func parseMember(_ range: Range<Int>?, of buffer: ByteBuffer) -> JSONValue? {
        guard let range else { return nil }
        return buffer.withUnsafeReadableBytes { bytes in
            try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range]))
        }
    }

    func reply(error code: Int, _ message: String, id: JSONRPCID?, into deliveries: inout [Delivery]) {
        deliveries.append(.toClient(.rewritten(JSONRPCMessage.error(id: id, code: code, message: message))))
    }

    /// Sends a request upstream under the id the call table gives it: the client's own, unless the server still
    /// owes an answer under that id to an abandoned call.
    func sendUpstream(_ buffer: ByteBuffer, key: CallKey, call: ForwardedCall, into deliveries: inout [Delivery]) {
        guard let upstreamID = calls.markForwarded(key, call), let clientID = calls[key]?.clientID else { return }
        if upstreamID == clientID {
            deliveries.append(.toServer(.original(buffer)))
        } else if let rewritten = buffer.withUnsafeReadableBytes({ MessageSplice.replacingID(in: $0, with: upstreamID) }) {
            deliveries.append(.toServer(.rewritten(rewritten)))
        }
    }
}
