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

    /// Ids of the client's `tools/list` requests whose answers must be filtered.
    var pendingToolLists: Set<JSONRPCID> = []
    /// The client's requests the server has not answered yet, so a dead server fails them instead of a hang.
    var inflight: Set<JSONRPCID> = []
    /// What the client said about itself in `initialize`.
    var client: ClientInfo?
    /// Categories of the tools the server listed, from their names and descriptions.
    var categories: [String: ToolCategory] = [:]
    /// Limit reservations of forwarded calls, settled when the server answers.
    var reservations: [JSONRPCID: ReservationID] = [:]
    /// Store operations for the transport to run off the event loop.
    var deferred: [DeferredWork] = []
    /// Where decisions are recorded; nil when this session keeps no audit trail.
    let audit: (any AuditStore)?
    /// Audit rows of forwarded calls, to add the upstream's outcome.
    var auditRows: [JSONRPCID: Int64] = [:]
    /// When each forwarded tools/call was sent (monotonic nanoseconds), to time the upstream.
    var sentAt: [JSONRPCID: UInt64] = [:]
    /// Counters and histograms, when the session reports metrics.
    let metrics: WardenMetrics?
    /// How long the upstream may take to answer a tools/call before Warden answers for it; nil waits forever.
    public let callTimeout: Duration?
    /// Calls Warden gave up on: a late answer to one of them is dropped, since the client already has one.
    var timedOut: Set<JSONRPCID> = []
    /// Tool names the upstream listed: the only tool names that become metric labels.
    var listedTools: Set<String> = []
    /// Where held calls wait for a person; nil when this session cannot hold calls.
    let approvals: ApprovalChannel?
    /// Calls waiting for a person, by request id, with their approval ids.
    var held: [JSONRPCID: String] = [:]
    /// Approval questions Warden put to the client's user, by Warden's request id, with their approval ids.
    var elicitations: [JSONRPCID: String] = [:]
    var nextElicitation = 1

    public init(
        policy: PolicyHolder,
        identity: SessionIdentity,
        maxMessageSize: Int = 4 * 1024 * 1024,
        limits: (any LimitStore)? = nil,
        approvals: ApprovalChannel? = nil,
        audit: (any AuditStore)? = nil,
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
        self.metrics = metrics
        self.callTimeout = callTimeout
        self.logger = logger
        self.now = now
        self.onDecision = onDecision
    }

    /// The number of client requests still waiting for the server.
    public var inflightCount: Int { inflight.count }

    /// Store work produced by the messages handled so far; the transport runs each and hands its resolution back.
    public func takeDeferredWork() -> [DeferredWork] {
        defer { deferred.removeAll(keepingCapacity: true) }
        return deferred
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

    private func receiveClientMessage(_ buffer: ByteBuffer, into deliveries: inout [Delivery]) {
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
            // Notifications, and the client's answers to server-to-client requests, pass straight through.
            if envelope.method == "notifications/cancelled", !reservations.isEmpty || !held.isEmpty {
                // A held call never reached the server: its cancellation stays here too.
                if settleCancelled(parseMember(envelope.params, of: buffer)) { return }
            }
            if envelope.kind != .notification, let id = envelope.id, let approvalID = elicitations.removeValue(forKey: id) {
                receiveApprovalAnswer(buffer, envelope: envelope, approvalID: approvalID)
                return
            }
            deliveries.append(.toServer(.original(buffer)))
            return
        }
        switch method {
        case "tools/call":
            receiveToolCall(buffer, envelope: envelope, id: id, into: &deliveries)
            return
        case "tools/list":
            pendingToolLists.insert(id)
        case "initialize":
            if let params = parseMember(envelope.params, of: buffer) {
                client = ClientInfo.fromInitialize(params: params)
            }
        default:
            break
        }
        inflight.insert(id)
        deliveries.append(.toServer(.original(buffer)))
    }

    private func receiveToolCall(_ buffer: ByteBuffer, envelope: MessageEnvelope, id: JSONRPCID, into deliveries: inout [Delivery]) {
        let startedAt = NIODeadline.now().uptimeNanoseconds
        let params = parseMember(envelope.params, of: buffer) ?? .null
        let request: ToolCallRequest
        do {
            request = try ToolCallRequest(params: params)
        } catch {
            let detail: String
            switch error {
            case .invalidRequest(let message, _), .parseError(let message): detail = message
            case .batch: detail = "unexpected batch"
            }
            reply(error: JSONRPCErrorCode.invalidParams, "Invalid params: \(detail)", id: id, into: &deliveries)
            return
        }

        let compiled = policy.current
        let time = now()
        let metaInfo = ClientInfo.fromRequestMeta(params: params)
        let clientName = metaInfo?.name ?? client?.name
        let revision = metaInfo?.revision ?? client?.revision
        let facts = CallFacts(
            id: id,
            arguments: request.arguments,
            revision: revision,
            startedAt: startedAt,
            auditSettings: compiled.policy.audit
        )
        if compiled.isHidden(request.name) {
            record(time: time, tool: request.name, outcome: .hidden, rule: nil, reason: "hidden by policy", clientName: clientName, facts: facts)
            reply(error: JSONRPCErrorCode.invalidParams, "Unknown tool: \(request.name)", id: id, into: &deliveries)
            return
        }

        let call = ToolCall(
            tool: request.name,
            arguments: request.arguments,
            agentID: identity.agentID,
            agentGroups: identity.agentGroups,
            sessionID: identity.sessionID,
            clientName: clientName,
            server: identity.serverName,
            category: category(of: request.name, in: compiled.policy),
            time: time
        )
        let decision = compiled.decide(call)
        if decision.action == .deny {
            let reason = decision.reason ?? Self.defaultReason(for: decision, tool: request.name)
            record(time: time, tool: request.name, outcome: .denied, rule: decision.rule, reason: reason, clientName: clientName, facts: facts)
            let denial = Denial(action: decision.action, rule: decision.rule, reason: reason)
            deliveries.append(.toClient(.rewritten(JSONRPCMessage.result(id: id, result: denial.toolResult(revision: revision)))))
            return
        }
        let plan: LimitPlan
        do {
            plan = try LimitPlan.make(for: call, decision: decision, policy: compiled.policy)
        } catch {
            record(
                time: time,
                tool: request.name,
                outcome: .budgetExceeded,
                rule: error.rule,
                reason: error.reason,
                clientName: clientName,
                facts: facts
            )
            let denial = Denial(rule: error.rule, reason: error.reason)
            deliveries.append(.toClient(.rewritten(JSONRPCMessage.result(id: id, result: denial.toolResult(revision: revision)))))
            return
        }
        let pending = PendingCall(
            id: id,
            buffer: buffer,
            tool: request.name,
            arguments: request.arguments,
            rule: decision.rule,
            reason: decision.reason,
            clientName: clientName,
            revision: revision,
            time: time,
            plan: plan,
            failsOpen: compiled.policy.failMode == .open,
            approval: decision.action == .requireApproval ? (decision.approval ?? ApprovalSettings()) : nil,
            progressToken: request.progressToken,
            agentID: identity.agentID,
            sessionID: identity.sessionID,
            server: identity.serverName,
            auditSettings: compiled.policy.audit,
            startedAt: startedAt
        )
        if plan.isEmpty && pending.approval == nil {
            forward(pending, reservation: nil, into: &deliveries)
        } else {
            deferred.append(DeferredWork.admit(pending, limits: limits, approvals: approvals, now: now))
        }
    }

    static func defaultReason(for decision: Decision, tool: String) -> String {
        if decision.rule == nil { return "no rule allows `\(tool)` and the policy's default is deny" }
        return "this call is not allowed"
    }

    private func category(of tool: String, in policy: Policy) -> ToolCategory {
        if let category = policy.categories[tool] { return category }
        if let category = categories[tool] { return category }
        let category = ToolClassifier.classify(name: tool, description: nil)
        categories[tool] = category
        return category
    }

    // MARK: - From the server

    /// Handles one framed message from the upstream server.
    public func receiveFromServer(_ frame: FramedMessage, into deliveries: inout [Delivery]) {
        switch frame {
        case .oversized(let byteCount, let head):
            let id = head.withUnsafeReadableBytes { IDRecovery.topLevelID(in: $0) }
            logger.warning("upstream message dropped: too large", metadata: ["message.bytes": "\(byteCount)"])
            if let id, inflight.remove(id) != nil {
                pendingToolLists.remove(id)
                reply(
                    error: JSONRPCErrorCode.internalError,
                    "the upstream server's answer was \(byteCount) bytes; this proxy accepts at most \(maxMessageSize)",
                    id: id,
                    into: &deliveries
                )
            }
        case .message(let buffer):
            receiveServerMessage(buffer, into: &deliveries)
        }
    }

    private func receiveServerMessage(_ buffer: ByteBuffer, into deliveries: inout [Delivery]) {
        let envelope: MessageEnvelope
        switch buffer.withUnsafeReadableBytes({ MessageInspector.inspect($0) }) {
        case .success(let value):
            envelope = value
        case .failure(let problem):
            logger.warning("upstream message dropped: not valid JSON-RPC", metadata: ["problem": "\(problem)"])
            return
        }
        guard envelope.kind == .response || envelope.kind == .errorResponse, let id = envelope.id else {
            deliveries.append(.toClient(.original(buffer)))
            return
        }
        if timedOut.remove(id) != nil {
            logger.info("late upstream answer dropped; the client was already told the call timed out", metadata: ["request.id": "\(id.raw)"])
            return
        }
        inflight.remove(id)
        if let sent = sentAt.removeValue(forKey: id) {
            let outcome: AuditOutcome =
                envelope.kind == .errorResponse ? .rpcError : (Self.isToolError(buffer, result: envelope.result) ? .toolError : .result)
            let nanoseconds = NIODeadline.now().uptimeNanoseconds &- sent
            metrics?.recordUpstream(server: identity.serverName, outcome: outcome.description, duration: .nanoseconds(Int64(nanoseconds)))
            if let row = auditRows.removeValue(forKey: id), let audit {
                let micros = Int(nanoseconds / 1000)
                deferred.append(.detached { try? audit.recordOutcome(id: row, outcome: outcome, upstreamMicroseconds: micros) })
            }
        }
        if let reservation = reservations.removeValue(forKey: id), let limits {
            if envelope.kind == .errorResponse {
                // The answer waits until the quota is back, so a retry after it always finds the room.
                deferred.append(.rollback(reservation, in: limits, thenDeliver: buffer))
                return
            }
            deferred.append(.commit(reservation, in: limits))
        }
        if pendingToolLists.remove(id) != nil, envelope.kind == .response,
            let rewritten = filterToolList(buffer, resultRange: envelope.result)
        {
            deliveries.append(.toClient(.rewritten(rewritten)))
            return
        }
        deliveries.append(.toClient(.original(buffer)))
    }

    /// The tools/list answer without hidden tools, or nil when nothing had to change.
    private func filterToolList(_ buffer: ByteBuffer, resultRange: Range<Int>?) -> [UInt8]? {
        guard let resultRange, let result = parseMember(resultRange, of: buffer) else { return nil }
        if let tools = result["tools"]?.arrayValue {
            for tool in tools {
                guard let name = tool["name"]?.stringValue else { continue }
                listedTools.insert(name)
                categories[name] = ToolClassifier.classify(name: name, description: tool["description"]?.stringValue)
            }
        }
        let compiled = policy.current
        let filtered = ToolList.filter(result: result) { compiled.isHidden($0) }
        guard !filtered.removed.isEmpty else { return nil }
        let time = now()
        for name in filtered.removed {
            record(time: time, tool: name, outcome: .hidden, rule: nil, reason: "removed from tools/list", clientName: client?.name)
        }
        return buffer.withUnsafeReadableBytes { MessageSplice.replacing(resultRange, in: $0, with: filtered.result) }
    }

    /// Answers for the upstream every forwarded tools/call older than `callTimeout`: an error to the client, a
    /// cancellation to the server, the limits given back and the outcome `timeout` in the audit trail.
    public func expireOverdueCalls(into deliveries: inout [Delivery]) {
        guard let callTimeout else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        let limit = UInt64(callTimeout.wholeMilliseconds) * 1_000_000
        let overdue = sentAt.filter { now &- $0.value >= limit }.keys.sorted { $0.raw < $1.raw }
        for id in overdue {
            sentAt[id] = nil
            inflight.remove(id)
            timedOut.insert(id)
            metrics?.recordUpstream(server: identity.serverName, outcome: "timeout", duration: callTimeout)
            if let row = auditRows.removeValue(forKey: id), let audit {
                let micros = Int(limit / 1000)
                deferred.append(.detached { try? audit.recordOutcome(id: row, outcome: .timeout, upstreamMicroseconds: micros) })
            }
            let cancel: JSONValue = ["requestId": id.value, "reason": "Warden's call timeout passed"]
            deliveries.append(.toServer(.rewritten(JSONRPCMessage.notification(method: "notifications/cancelled", params: cancel))))
            let message = "the upstream MCP server did not answer within \(LimitPlan.format(callTimeout))"
            let error = JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.internalError, message: message)
            if let reservation = reservations.removeValue(forKey: id), let limits {
                // As with an error answer, the quota is back before the client hears of the failure.
                deferred.append(.rollback(reservation, in: limits, thenDeliver: ByteBuffer(bytes: error)))
            } else {
                deliveries.append(.toClient(.rewritten(error)))
            }
        }
    }

    /// Fails every request the server will now never answer.
    public func upstreamClosed(into deliveries: inout [Delivery]) {
        for id in inflight.sorted(by: { $0.raw < $1.raw }) {
            reply(error: JSONRPCErrorCode.internalError, "the upstream MCP server exited before answering", id: id, into: &deliveries)
        }
        inflight.removeAll()
        pendingToolLists.removeAll()
        sentAt.removeAll()
        if let audit {
            let rows = Array(auditRows.values)
            deferred.append(.detached { for row in rows { try? audit.recordOutcome(id: row, outcome: .dead, upstreamMicroseconds: nil) } })
        }
        auditRows.removeAll()
        if let limits {
            // The upstream died: whatever it did with these calls, they get no result, so they do not count.
            for reservation in reservations.values { deferred.append(.rollback(reservation, in: limits)) }
        }
        reservations.removeAll()
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

    func parseMember(_ range: Range<Int>?, of buffer: ByteBuffer) -> JSONValue? {
        guard let range else { return nil }
        return buffer.withUnsafeReadableBytes { bytes in
            try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range]))
        }
    }

    func reply(error code: Int, _ message: String, id: JSONRPCID?, into deliveries: inout [Delivery]) {
        deliveries.append(.toClient(.rewritten(JSONRPCMessage.error(id: id, code: code, message: message))))
    }

    /// Logs a decision, writes it to the audit trail (committed before the caller acts on it) and tells observers.
    @discardableResult
    func record(
        time: Timestamp,
        tool: String,
        outcome: DecisionRecord.Outcome,
        rule: String?,
        reason: String?,
        clientName: String?,
        facts: CallFacts? = nil
    ) -> AuditWrite {
        let record = DecisionRecord(
            time: time,
            tool: tool,
            outcome: outcome,
            rule: rule,
            reason: reason,
            agentID: identity.agentID,
            sessionID: identity.sessionID,
            clientName: clientName,
            serverName: identity.serverName
        )
        let decisionNanoseconds = facts.map { NIODeadline.now().uptimeNanoseconds &- $0.startedAt }
        let digest = facts.map { AuditArguments.digest($0.arguments) }
        let revision = (facts?.revision ?? client?.revision)?.description
        // The log line carries the audit record's fields, never argument values.
        var metadata = record.logMetadata
        if let digest { metadata["arguments.sha256"] = "\(digest)" }
        if let revision { metadata["protocol.revision"] = "\(revision)" }
        if let id = facts?.id { metadata["request.id"] = "\(id.raw)" }
        if let decisionNanoseconds { metadata["decision.micros"] = "\(decisionNanoseconds / 1000)" }
        if outcome == .allowed {
            logger.info("tools/call allowed", metadata: metadata)
        } else {
            logger.notice("tools/call \(outcome)", metadata: metadata)
        }
        onDecision(record)
        metrics?.recordDecision(
            server: identity.serverName,
            tool: tool,
            toolIsListed: listedTools.contains(tool),
            decision: outcome.description,
            duration: decisionNanoseconds.map { .nanoseconds(Int64($0)) }
        )
        guard let audit else { return .none }
        let entry = AuditRecord(
            time: time,
            agentID: identity.agentID,
            sessionID: identity.sessionID,
            clientName: clientName,
            clientVersion: client?.version,
            protocolRevision: revision,
            server: identity.serverName,
            tool: tool,
            requestID: facts?.id.raw,
            decision: outcome.auditDecision,
            rule: rule,
            reason: reason,
            argumentsDigest: digest,
            arguments: facts.flatMap { AuditArguments.render($0.arguments, settings: $0.auditSettings) },
            outcome: [.allowed, .approvalApproved, .approvalPending].contains(outcome) ? nil : .refused,
            decisionMicroseconds: decisionNanoseconds.map { Int($0 / 1000) }
        )
        do {
            return .written(try audit.append(entry))
        } catch {
            logger.error("audit record not written", metadata: ["error": "\(error)", "tool.name": "\(tool)"])
            return .failed("\(error)")
        }
    }

}

extension DecisionRecord {
    var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = ["tool.name": "\(tool)", "decision": "\(outcome)", "session.id": "\(sessionID)"]
        if let rule { metadata["decision.rule"] = "\(rule)" }
        if let reason { metadata["decision.reason"] = "\(reason)" }
        if let agentID { metadata["agent.id"] = "\(agentID)" }
        if let clientName { metadata["client.name"] = "\(clientName)" }
        if let serverName { metadata["server.name"] = "\(serverName)" }
        return metadata
    }
}
