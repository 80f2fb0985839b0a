import Logging
import NIOCore
import WardenJSON
public import WardenMCP
import WardenPolicy
import WardenStore

extension SessionInterceptor {
    // MARK: - From the server

    /// Handles one framed message from the upstream server.
    public func receiveFromServer(_ frame: FramedMessage, into deliveries: inout [Delivery]) {
        switch frame {
        case .oversized(let byteCount, let head):
            logger.warning("upstream message dropped: too large", metadata: ["message.bytes": "\(byteCount)"])
            failUnreadableAnswer(
                head,
                "the upstream server's answer was \(byteCount) bytes; this proxy accepts at most \(maxMessageSize)",
                into: &deliveries
            )
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
            failUnreadableAnswer(buffer, "the upstream server's answer is not valid JSON-RPC", into: &deliveries)
            return
        }
        guard envelope.kind == .response || envelope.kind == .errorResponse, let id = envelope.id else {
            if envelope.kind == .notification, envelope.method == "notifications/tools/list_changed" { forgetListing() }
            deliveries.append(.toClient(.original(buffer), envelope: envelope))
            return
        }
        // An answer settles only the call it was sent for: found by the id that call went up under.
        guard let key = calls.key(forUpstreamID: id), let entry = calls.finish(key) else {
            logger.info("upstream answer dropped: no request of this session waits for it", metadata: ["request.id": "\(id.raw)"])
            return
        }
        let call: ForwardedCall
        switch entry.state {
        case .abandoned(let abandoned):
            logger.info("late upstream answer dropped; the client already has its answer", metadata: ["request.id": "\(entry.clientID.raw)"])
            recordOutcome(of: abandoned, envelope: envelope, buffer: buffer)
            return
        case .forwarded(let forwarded):
            call = forwarded
        case .admitting, .held, .awaitingDefinitions:
            return
        }
        switch call.kind {
        case .toolCall(_, let reservation, _, _):
            recordOutcome(of: call, envelope: envelope, buffer: buffer)
            let answer = delivery(of: .original(buffer), envelope: envelope, for: entry)
            if let reservation, let limits {
                if envelope.kind == .errorResponse {
                    // The answer waits until the quota is back, so a retry after it always finds the room.
                    storeWork.append(.rollback(reservation, in: limits, thenDeliver: answer.payload.buffer))
                    return
                }
                storeWork.append(.commit(reservation, in: limits))
            }
            deliveries.append(answer)
        case .toolList(let fromStart):
            guard envelope.kind == .response, let resultRange = envelope.result else {
                deliveries.append(delivery(of: .original(buffer), envelope: envelope, for: entry))
                return
            }
            switch filterToolList(buffer, resultRange: resultRange, fromStart: fromStart) {
            case .unchanged:
                deliveries.append(delivery(of: .original(buffer), envelope: envelope, for: entry))
            case .filtered(let bytes):
                deliveries.append(delivery(of: .rewritten(bytes), envelope: nil, for: entry))
            case .unreadable(let problem):
                logger.warning("tools/list answer refused: it cannot be filtered", metadata: ["problem": "\(problem)"])
                reply(
                    error: JSONRPCErrorCode.internalError,
                    "Warden cannot read the server's tools/list answer (\(problem)), so it is not forwarded: a list it cannot filter could show hidden tools",
                    id: entry.clientID,
                    into: &deliveries
                )
            }
        case .other:
            deliveries.append(delivery(of: .original(buffer), envelope: envelope, for: entry))
        case .ownToolList:
            receiveOwnListing(buffer, envelope: envelope, into: &deliveries)
        }
    }

    /// The answer as the client must hear it: under its own id, whatever id the server saw.
    private func delivery(of answer: Delivery.Payload, envelope: MessageEnvelope?, for entry: CallTable.Entry) -> Delivery {
        guard let upstreamID = entry.upstreamID, upstreamID != entry.clientID,
            let restored = answer.buffer.withUnsafeReadableBytes({ MessageSplice.replacingID(in: $0, with: entry.clientID) })
        else { return .toClient(answer, envelope: envelope) }
        return .toClient(.rewritten(restored))
    }

    /// A server message Warden cannot read (too large, not JSON-RPC) that answers a call: the call gets an error
    /// now rather than a wait forever, and stays counted.
    private func failUnreadableAnswer(_ bytes: ByteBuffer, _ message: String, into deliveries: inout [Delivery]) {
        guard let id = bytes.withUnsafeReadableBytes({ IDRecovery.topLevelID(in: $0) }), let key = calls.key(forUpstreamID: id),
            let entry = calls.finish(key)
        else { return }
        settleUnanswered(entry, outcome: .rpcError, keepsCount: true, into: &deliveries)
        if case .forwarded = entry.state {
            reply(error: JSONRPCErrorCode.internalError, message, id: entry.clientID, into: &deliveries)
        }
    }

    /// Adds the upstream's outcome and latency to a forwarded tools/call's audit record and metrics.
    private func recordOutcome(of call: ForwardedCall, envelope: MessageEnvelope, buffer: ByteBuffer) {
        guard case .toolCall(_, _, let row, let sent) = call.kind else { return }
        let outcome: AuditOutcome =
            envelope.kind == .errorResponse ? .rpcError : (Self.isToolError(buffer, result: envelope.result) ? .toolError : .result)
        let nanoseconds = NIODeadline.now().uptimeNanoseconds &- sent
        metrics?.recordUpstream(server: identity.serverName, outcome: outcome.description, duration: .nanoseconds(Int64(nanoseconds)))
        if let row { recordOutcomeLater(row: row, outcome: outcome, micros: Int(nanoseconds / 1000)) }
    }

    /// Settles a call whose answer will never come: its outcome recorded, its limits kept (it reached the server,
    /// which may have acted on it: failures over-count, never under-count) or given back when it never could have.
    func settleUnanswered(_ entry: CallTable.Entry, outcome: AuditOutcome, keepsCount: Bool, into deliveries: inout [Delivery]) {
        let call: ForwardedCall
        switch entry.state {
        case .forwarded(let forwarded), .abandoned(let forwarded): call = forwarded
        case .admitting, .held, .awaitingDefinitions: return
        }
        guard case .toolCall(_, let reservation, let row, let sent) = call.kind else { return }
        let micros = Int((NIODeadline.now().uptimeNanoseconds &- sent) / 1000)
        if let row { recordOutcomeLater(row: row, outcome: outcome, micros: micros) }
        if let reservation, let limits {
            storeWork.append(keepsCount ? .commit(reservation, in: limits) : .rollback(reservation, in: limits))
        }
    }

    /// Adds an outcome to its audit record off the event loop; a write that fails is retried with backoff and
    /// reported, never dropped in silence (a full disk must not leave an answered call without its outcome).
    func recordOutcomeLater(row: Int64, outcome: AuditOutcome, micros: Int?) {
        guard let audit else { return }
        let logger = self.logger
        storeWork.append(
            .detached {
                var delay = Duration.milliseconds(50)
                for attempt in 1...6 {
                    do {
                        try audit.recordOutcome(id: row, outcome: outcome, upstreamMicroseconds: micros)
                        if attempt > 1 { logger.notice("audit outcome written after a retry", metadata: ["audit.row": "\(row)"]) }
                        return
                    } catch {
                        if attempt == 6 {
                            logger.error(
                                "audit outcome not written; the record keeps its decision without it",
                                metadata: ["audit.row": "\(row)", "audit.outcome": "\(outcome)", "error": "\(error)"]
                            )
                            return
                        }
                        if attempt == 1 {
                            logger.warning("audit outcome not written yet; retrying", metadata: ["audit.row": "\(row)", "error": "\(error)"])
                        }
                        try? await Task.sleep(for: delay)
                        delay *= 2
                    }
                }
            }
        )
    }

    enum ToolListFiltering {
        case unchanged
        case filtered([UInt8])
        case unreadable(String)
    }

    /// The tools/list answer without hidden tools; a result Warden cannot read is never passed on unfiltered.
    private func filterToolList(_ buffer: ByteBuffer, resultRange: Range<Int>, fromStart: Bool) -> ToolListFiltering {
        let parsed: Result<JSONValue, JSONParseError> = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) in
                try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[resultRange]), maxDepth: MessageInspector.maxDepth, strict: true)
            }
        }
        let result: JSONValue
        switch parsed {
        case .success(let value): result = value
        case .failure(let error): return .unreadable(error.description)
        }
        guard let object = result.objectValue else { return .unreadable("the result is not an object") }
        let compiled = policy.current
        // Why each tool whose definition keeps it out is hidden; a name listed twice is hidden if either entry is.
        var withheld: [ScalarKey: String] = [:]
        if let tools = object["tools"] {
            guard let list = tools.arrayValue else { return .unreadable("`tools` is not a list") }
            let isLast = object["nextCursor"]?.stringValue.map(\.isEmpty) ?? true
            for tool in absorbListing(list, completes: fromStart && isLast, policy: compiled.policy) {
                if let reason = hidingReason(tool, policy: compiled.policy) { withheld[ScalarKey(tool.name)] = reason }
            }
        }
        let filtered = ToolList.filter(result: result) { compiled.isHidden($0) || withheld[ScalarKey($0)] != nil }
        guard !filtered.removed.isEmpty else { return .unchanged }
        let time = now()
        for name in filtered.removed {
            let reason = withheld[ScalarKey(name)].map { "removed from tools/list: \($0)" } ?? "removed from tools/list"
            record(time: time, tool: name, outcome: .hidden, rule: nil, reason: reason, clientName: client?.name)
        }
        return .filtered(buffer.withUnsafeReadableBytes { MessageSplice.replacing(resultRange, in: $0, with: filtered.result) })
    }

    /// Answers for the upstream every forwarded tools/call older than `callTimeout`: an error to the client, a
    /// cancellation to the server and the outcome `timeout` in the audit trail. The call stays counted against its
    /// limits: the server may have done the work.
    public func expireOverdueCalls(into deliveries: inout [Delivery]) {
        guard let callTimeout else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        let limit = UInt64(callTimeout.wholeMilliseconds) * 1_000_000
        for key in calls.upstreamOwed {
            guard let entry = calls[key], case .forwarded(let call) = entry.state, let sent = call.sentAt, now &- sent >= limit,
                let upstreamID = entry.upstreamID
            else { continue }
            if call.isOwn {
                expireOwnListing(key, after: callTimeout, into: &deliveries)
                continue
            }
            metrics?.recordUpstream(server: identity.serverName, outcome: "timeout", duration: callTimeout)
            settleUnanswered(entry, outcome: .timeout, keepsCount: true, into: &deliveries)
            // Settled now; a late answer only needs dropping.
            calls.abandon(key, ForwardedCall(kind: .other))
            let cancel: JSONValue = ["requestId": upstreamID.value, "reason": "Warden's call timeout passed"]
            deliveries.append(.toServer(.rewritten(JSONRPCMessage.notification(method: "notifications/cancelled", params: cancel))))
            let message = "the upstream MCP server did not answer within \(LimitPlan.format(callTimeout))"
            reply(error: JSONRPCErrorCode.internalError, message, id: entry.clientID, into: &deliveries)
        }
    }

    /// Fails every request the server will now never answer. Forwarded tools/calls stay counted.
    public func upstreamClosed(into deliveries: inout [Delivery]) {
        failOwnListing("the upstream MCP server exited before Warden could read its tool definitions", into: &deliveries)
        for key in calls.upstreamOwed {
            guard let entry = calls.finish(key) else { continue }
            settleUnanswered(entry, outcome: .dead, keepsCount: true, into: &deliveries)
            if case .forwarded(let call) = entry.state, !call.isOwn {
                reply(error: JSONRPCErrorCode.internalError, "the upstream MCP server exited before answering", id: entry.clientID, into: &deliveries)
            }
        }
    }

}
