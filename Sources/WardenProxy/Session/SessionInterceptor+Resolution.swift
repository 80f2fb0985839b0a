import Logging
import NIOCore
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenStore

extension SessionInterceptor {
    /// Acts on the result of work done off the event loop: limits reserved or refused, a call held, approved or
    /// refused by a person, a failed call's answer released.
    public func resolve(_ resolution: StoreWorkResult, into deliveries: inout [Delivery]) {
        guard let call = resolution.call else {
            if case .released(let answer) = resolution.outcome { deliveries.append(.toClient(.original(answer))) }
            return
        }
        // The call's own state decides what a late resolution may still do.
        guard let entry = calls[call.key] else {
            if case .admitted(let reservation?) = resolution.outcome, let limits { storeWork.append(.rollback(reservation, in: limits)) }
            return
        }
        if case .admitting(_, isCancelled: true) = entry.state {
            resolveCancelled(call, resolution.outcome, into: &deliveries)
            return
        }
        switch resolution.outcome {
        case .released(let answer):
            deliveries.append(.toClient(.original(answer)))
        case .admitted(let reservation):
            finishHolding(call, into: &deliveries)
            forward(call, reservation: reservation, into: &deliveries)
        case .refused(let index, let retryAfter):
            calls.finish(call.key)
            refuseForLimit(call, index: index, retryAfter: retryAfter, into: &deliveries)
        case .storeFailed(let message):
            finishHolding(call, into: &deliveries)
            if call.failsOpen && call.approval == nil {
                logger.warning("limit store failed; forwarding uncounted because the policy says `fail: open`", metadata: ["error": "\(message)"])
                forward(call, reservation: nil, into: &deliveries)
                return
            }
            calls.finish(call.key)
            let reason = "the store is unavailable (\(message)), so the call is refused rather than let through unchecked"
            let rule = call.plan.labels.first?.rule ?? call.rule
            record(time: call.time, tool: call.tool, outcome: .denied, rule: rule, reason: reason, clientName: call.clientName, facts: call.facts)
            deny(call, Denial(rule: rule, reason: reason), into: &deliveries)
        case .held(let approvalID):
            calls.update(call.key, to: .held(call, approvalID: approvalID))
            metrics?.approvalHeld()
            record(time: call.time, tool: call.tool, outcome: .approvalPending, rule: call.rule, reason: call.reason, clientName: call.clientName, facts: call.facts)
            askClientToApprove(call, approvalID: approvalID, into: &deliveries)
        case .stillWaiting(let approvalID, let count):
            guard let token = call.progressToken else { return }
            let params: JSONValue = [
                "progressToken": token,
                "progress": .number(JSONNumber(count)),
                "message": .string("Waiting for a person to approve \(call.tool) (approval \(approvalID))"),
            ]
            deliveries.append(.toClient(.rewritten(JSONRPCMessage.notification(method: "notifications/progress", params: params))))
        case .approvalRefused(let approvalID, let reason, let expired):
            finishHolding(call, into: &deliveries)
            calls.finish(call.key)
            record(
                time: call.time,
                tool: call.tool,
                outcome: expired ? .approvalExpired : .approvalDenied,
                rule: call.rule,
                reason: reason,
                clientName: call.clientName,
                facts: call.facts
            )
            var denial = Denial(rule: call.rule, reason: reason)
            denial.approvalID = approvalID
            deny(call, denial, into: &deliveries)
        case .withdrawn:
            // The client cancelled the call; it expects no answer.
            finishHolding(call, into: &deliveries)
            calls.finish(call.key)
        }
    }

    /// A resolution for a call the client cancelled before it could be forwarded: nothing reaches the server and
    /// the client hears nothing; limits come back and a pending approval is withdrawn.
    private func resolveCancelled(_ call: PendingCall, _ outcome: StoreWorkResult.Outcome, into deliveries: inout [Delivery]) {
        switch outcome {
        case .stillWaiting, .released:
            return
        case .held(let approvalID):
            // Keep the call until the waiter reports the withdrawal; the store learns it now.
            calls.update(call.key, to: .held(call, approvalID: approvalID))
            withdraw(approvalID: approvalID)
            return
        case .admitted(let reservation):
            if let reservation, let limits { storeWork.append(.rollback(reservation, in: limits)) }
        case .refused, .storeFailed, .approvalRefused, .withdrawn:
            break
        }
        finishHolding(call, into: &deliveries)
        calls.finish(call.key)
        logger.info("cancelled call not forwarded", metadata: ["tool.name": "\(call.tool)", "request.id": "\(call.id.raw)"])
    }

    private func refuseForLimit(_ call: PendingCall, index: Int, retryAfter: Duration?, into deliveries: inout [Delivery]) {
        let label = call.plan.labels[index]
        var reason = label.reason ?? (label.isBudget ? "budget exhausted: \(label.summary)" : "rate limit reached: \(label.summary)")
        var retrySeconds: Int? = nil
        if let retryAfter {
            let milliseconds = max(retryAfter.wholeMilliseconds, 1)
            retrySeconds = Int((milliseconds + 999) / 1000)
        } else {
            reason += " (this call alone exceeds the limit, so retrying will not help)"
        }
        record(
            time: call.time,
            tool: call.tool,
            outcome: label.isBudget ? .budgetExceeded : .rateLimited,
            rule: label.rule,
            reason: reason,
            clientName: call.clientName,
            facts: call.facts
        )
        deny(call, Denial(rule: label.rule, reason: reason, retryAfterSeconds: retrySeconds), into: &deliveries)
    }

    private func deny(_ call: PendingCall, _ denial: Denial, into deliveries: inout [Delivery]) {
        deliveries.append(.toClient(.rewritten(JSONRPCMessage.result(id: call.id, result: denial.toolResult(revision: call.revision)))))
    }

    func forward(_ call: PendingCall, reservation: ReservationID?, into deliveries: inout [Delivery]) {
        let written = record(
            time: call.time,
            tool: call.tool,
            outcome: call.approval == nil ? .allowed : .approvalApproved,
            rule: call.rule,
            reason: call.reason,
            clientName: call.clientName,
            facts: call.facts
        )
        var auditRow: Int64?
        switch written {
        case .failed(let message) where !call.failsOpen:
            // A call that cannot be recorded is not forwarded: the trail must hold everything that reached the server.
            if let reservation, let limits { storeWork.append(.rollback(reservation, in: limits)) }
            calls.finish(call.key)
            let reason = "the audit trail cannot be written (\(message)), so the call is refused rather than forwarded unrecorded"
            deny(call, Denial(rule: call.rule, reason: reason), into: &deliveries)
            return
        case .written(let row):
            auditRow = row
        default:
            break
        }
        let forwarded = ForwardedCall(
            kind: .toolCall(tool: call.tool, reservation: reservation, auditRow: auditRow, sentAt: NIODeadline.now().uptimeNanoseconds)
        )
        sendUpstream(call.buffer, key: call.key, call: forwarded, into: &deliveries)
    }

    /// Handles the client's `notifications/cancelled`, found by the client's id among the calls in flight.
    ///
    /// A call the server never saw (waiting for its limits or a person) ends here and the server hears nothing. A
    /// forwarded call keeps counting (the server may already have acted), its cancellation goes on under the id the
    /// server knows, and a late answer is dropped, since the client expects none.
    func receiveCancellation(_ buffer: ByteBuffer, envelope: MessageEnvelope, into deliveries: inout [Delivery]) {
        let params = parseMember(envelope.params, of: buffer)
        guard let requestID = params?["requestId"], let id = JSONRPCID(requestID), let key = calls.key(forClientID: id),
            let entry = calls[key]
        else {
            deliveries.append(.toServer(.original(buffer)))
            return
        }
        switch entry.state {
        case .admitting(let call, _):
            calls.update(key, to: .admitting(call, isCancelled: true))
        case .awaitingDefinitions:
            // The server never saw it: it ends here, and the client expects no answer.
            calls.finish(key)
        case .held(_, let approvalID):
            withdraw(approvalID: approvalID)
        case .forwarded(let call):
            if case .toolCall(_, let reservation?, _, _) = call.kind, let limits { storeWork.append(.commit(reservation, in: limits)) }
            var settled = call
            if case .toolCall(let tool, _, let row, let sent) = call.kind {
                settled.kind = .toolCall(tool: tool, reservation: nil, auditRow: row, sentAt: sent)
            }
            calls.abandon(key, settled)
            if let upstreamID = entry.upstreamID, upstreamID != id, case .object(var object)? = params {
                object["requestId"] = upstreamID.value
                deliveries.append(.toServer(.rewritten(JSONRPCMessage.notification(method: "notifications/cancelled", params: .object(object)))))
            } else {
                deliveries.append(.toServer(.original(buffer)))
            }
        case .abandoned:
            break
        }
    }

    private func withdraw(approvalID: String) {
        guard let approvals else { return }
        let now = self.now
        storeWork.append(
            .detached {
                _ = try? approvals.store.resolve(id: approvalID, to: .withdrawn, by: "client", reason: "the client cancelled the call", at: now())
            }
        )
    }

    // MARK: - Asking the client's own user

    /// Puts the approval to the client's user as an elicitation, when the rule asks for it (`ask_client: true`) and
    /// the client said it can show one. Never by default: the client is the agent, which must not approve itself.
    private func askClientToApprove(_ call: PendingCall, approvalID: String, into deliveries: inout [Delivery]) {
        guard call.approval?.askClient == true else { return }
        // 2026-07-28 has no server-to-client requests on stdio; its clients resolve through the other channels.
        guard let client, client.capabilities["elicitation"] != nil, !(call.revision?.isStateless ?? false) else { return }
        // Named approvers decide themselves: the agent's own user is not one of them.
        guard call.approval?.approvers.isEmpty ?? true else { return }
        let requestID = JSONRPCID(.string("warden-approval-\(nextElicitation)"))!
        nextElicitation += 1
        elicitations[requestID] = approvalID
        var lines = ["Warden: the agent wants to call `\(call.tool)`, which needs your approval."]
        if let rule = call.rule { lines.append("Rule: \(rule)") }
        if let reason = call.reason { lines.append("Why: \(reason)") }
        lines.append("Arguments: \(call.arguments.encodedString)")
        lines.append("Approval id: \(approvalID)")
        var params: JSONObject = [
            "message": .string(lines.joined(separator: "\n")),
            "requestedSchema": [
                "type": "object",
                "properties": [
                    "decision": [
                        "type": "string",
                        "title": "Decision",
                        "enum": ["approve", "deny"],
                        "description": "Approve lets the call through; deny refuses it.",
                    ],
                    "reason": ["type": "string", "title": "Reason", "description": "Why (optional)"],
                ],
                "required": ["decision"],
            ],
        ]
        if let revision = call.revision ?? client.revision, revision >= .v2025_11_25 { params["mode"] = "form" }
        deliveries.append(
            .toClient(.rewritten(JSONRPCMessage.request(id: requestID.value, method: "elicitation/create", params: .object(params))))
        )
    }

    /// The client's user answered Warden's question: resolve the approval in the store, where the waiting call sees it.
    func receiveApprovalAnswer(_ buffer: ByteBuffer, envelope: MessageEnvelope, approvalID: String) {
        guard let approvals else { return }
        let result = parseMember(envelope.result, of: buffer)
        let action = result?["action"]?.stringValue
        let decision = result?["content"]?["decision"]?.stringValue
        let reason = result?["content"]?["reason"]?.stringValue
        let approved = envelope.kind == .response && action == "accept" && decision == "approve"
        let by = "client user" + (client?.name.map { " (\($0))" } ?? "")
        let why = approved ? reason : (reason ?? (action == "accept" ? "denied in the client" : "the client's user declined"))
        let now = self.now
        storeWork.append(
            .detached {
                _ = try? approvals.store.resolve(id: approvalID, to: approved ? .approved : .denied, by: by, reason: why, at: now())
            }
        )
    }

    /// Forgets a call that no longer waits; withdraws the question put to the client's user if there was one.
    private func finishHolding(_ call: PendingCall, into deliveries: inout [Delivery]) {
        guard case .held(_, let approvalID) = calls[call.key]?.state else { return }
        calls.update(call.key, to: .admitting(call, isCancelled: false))
        metrics?.approvalSettled()
        for (requestID, pendingApproval) in elicitations where pendingApproval == approvalID {
            elicitations[requestID] = nil
            let params: JSONValue = ["requestId": requestID.value, "reason": "the approval was settled elsewhere"]
            deliveries.append(.toClient(.rewritten(JSONRPCMessage.notification(method: "notifications/cancelled", params: params))))
        }
    }
}
