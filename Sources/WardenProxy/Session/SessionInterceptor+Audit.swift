import Logging
import NIOCore
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenStore

extension SessionInterceptor {
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
            toolIsListed: listedTools.contains(ScalarKey(tool)),
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
