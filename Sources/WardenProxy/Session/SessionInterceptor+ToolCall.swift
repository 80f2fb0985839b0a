import Logging
import NIOCore
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenStore

extension SessionInterceptor {
    /// Decides a `tools/call`: read strictly, judged on the values the server will read, then answered here
    /// (hidden, denied) or sent on to its limits and approval, and from there upstream.
    func receiveToolCall(_ buffer: ByteBuffer, envelope: MessageEnvelope, id: JSONRPCID, into deliveries: inout [Delivery]) {
        let startedAt = NIODeadline.now().uptimeNanoseconds
        // Strict: a duplicate key or a lone surrogate anywhere in the call reads differently in different servers,
        // so Warden cannot know what it would judge. Such a call is refused, never forwarded.
        let params: JSONValue
        switch parseStrictly(envelope.params, of: buffer) {
        case .success(let value):
            params = value ?? .null
        case .failure(let error):
            logger.notice("tools/call refused: ambiguous JSON", metadata: ["problem": "\(error.message)", "request.id": "\(id.raw)"])
            reply(
                error: JSONRPCErrorCode.invalidRequest,
                "Invalid Request: \(error.message); servers disagree on how to read such a call, so Warden does not forward it",
                id: id,
                into: &deliveries
            )
            return
        }
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
        // Judge the numbers the server will read: a decimal as the double every reader rounds it to. A number
        // readers read differently (an integer a double cannot hold) is refused: no rule could know its value.
        let arguments: JSONValue
        do {
            arguments = try request.arguments.readAsServersDo()
        } catch {
            logger.notice("tools/call refused: ambiguous number", metadata: ["problem": "\(error.message)", "request.id": "\(id.raw)"])
            reply(
                error: JSONRPCErrorCode.invalidRequest,
                "Invalid Request: \(error.message); Warden does not forward a call whose arguments servers read differently",
                id: id,
                into: &deliveries
            )
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
            arguments: arguments,
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
        // What the tool's definition says, once the rules would let the call go: a tool no listing showed waits
        // for Warden's own listing (and is then judged from the start); a poisoned or held one is refused.
        let known: ListedTool?
        switch checkDefinitions(of: request.name, policy: compiled.policy) {
        case .proceed(let tool):
            known = tool
        case .wait:
            waitForListing(buffer, envelope: envelope, id: id, revision: revision, into: &deliveries)
            return
        case .unknown(let reason):
            record(time: time, tool: request.name, outcome: .denied, rule: "definitions", reason: reason, clientName: clientName, facts: facts)
            reply(error: JSONRPCErrorCode.invalidParams, "Unknown tool: \(request.name)", id: id, into: &deliveries)
            return
        case .deny(let rule, let reason):
            record(time: time, tool: request.name, outcome: .denied, rule: rule, reason: reason, clientName: clientName, facts: facts)
            let denial = Denial(rule: rule, reason: reason)
            deliveries.append(.toClient(.rewritten(JSONRPCMessage.result(id: id, result: denial.toolResult(revision: revision)))))
            return
        }
        // The arguments against the tool's own schema, before any limit is reserved: a call the server would
        // reject or misread never counts and never reaches it.
        if let violation = schemaViolation(of: known, arguments: arguments, decision: decision, policy: compiled.policy) {
            let reason = violation
            record(time: time, tool: request.name, outcome: .denied, rule: "validate_arguments", reason: reason, clientName: clientName, facts: facts)
            let denial = Denial(rule: "validate_arguments", reason: reason)
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
        guard
            let key = calls.open(
                clientID: id,
                state: { key in
                    .admitting(
                        PendingCall(
                            key: key,
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
                        ),
                        isCancelled: false
                    )
                }
            ),
            case .admitting(let pending, _) = calls[key]?.state
        else { return }
        if plan.isEmpty && pending.approval == nil {
            forward(pending, reservation: nil, into: &deliveries)
        } else {
            storeWork.append(StoreWork.admit(pending, limits: limits, approvals: approvals, now: now))
        }
    }

    static func defaultReason(for decision: Decision, tool: String) -> String {
        if decision.rule == nil { return "no rule allows `\(tool)` and the policy's default is deny" }
        return "this call is not allowed"
    }

    /// The policy's category for `tool`, else the one classified from the server's listing, else a guess from the
    /// name. Only listed names are kept: the agent can send any number of made-up names, and none may cost memory.
    private func category(of tool: String, in policy: Policy) -> ToolCategory {
        if let category = policy.categoryOverride(for: tool) { return category }
        return categories[ScalarKey(tool)] ?? ToolClassifier.classify(name: tool, description: nil)
    }
}
