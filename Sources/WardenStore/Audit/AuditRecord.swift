public import WardenPolicy

/// One decision Warden made about a `tools/call` (or a hidden tool), and what came of it upstream.
///
/// Arguments are kept as a SHA-256 digest; their text only when the policy's `audit.args` says so, because an audit
/// trail should not become a second copy of the data that flowed through the proxy.
public struct AuditRecord: Sendable, Hashable {
    /// Assigned by the store on ``AuditStore/append(_:)``; increases with every record, so `--follow` can ask for
    /// what came after the last one it saw.
    public var id: Int64?
    public var time: Timestamp
    public var agentID: String?
    public var sessionID: String
    /// The client's self-reported name and version (`clientInfo`): unverified, fit for sorting traffic only.
    public var clientName: String?
    public var clientVersion: String?
    public var protocolRevision: String?
    public var server: String?
    public var tool: String
    /// The JSON-RPC id of the call as text, so a record can be matched with the client's own log.
    public var requestID: String?
    public var decision: AuditDecision
    public var rule: String?
    public var reason: String?
    /// Lowercase hex SHA-256 of the canonical arguments; equal arguments, equal digests, whatever the key order.
    public var argumentsDigest: String?
    /// The arguments as the policy's `audit` block allows (`full` or `redact`); nil in the default `hash` mode.
    public var arguments: String?
    /// Nil while a forwarded call is upstream; ``AuditOutcome/refused`` for a call that was never forwarded.
    public var outcome: AuditOutcome?
    /// From the request arriving to the decision, in microseconds.
    public var decisionMicroseconds: Int?
    /// From forwarding to the upstream's answer (or to the timeout), in microseconds.
    public var upstreamMicroseconds: Int?

    public init(
        id: Int64? = nil,
        time: Timestamp,
        agentID: String? = nil,
        sessionID: String,
        clientName: String? = nil,
        clientVersion: String? = nil,
        protocolRevision: String? = nil,
        server: String? = nil,
        tool: String,
        requestID: String? = nil,
        decision: AuditDecision,
        rule: String? = nil,
        reason: String? = nil,
        argumentsDigest: String? = nil,
        arguments: String? = nil,
        outcome: AuditOutcome? = nil,
        decisionMicroseconds: Int? = nil,
        upstreamMicroseconds: Int? = nil
    ) {
        self.id = id
        self.time = time
        self.agentID = agentID
        self.sessionID = sessionID
        self.clientName = clientName
        self.clientVersion = clientVersion
        self.protocolRevision = protocolRevision
        self.server = server
        self.tool = tool
        self.requestID = requestID
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.argumentsDigest = argumentsDigest
        self.arguments = arguments
        self.outcome = outcome
        self.decisionMicroseconds = decisionMicroseconds
        self.upstreamMicroseconds = upstreamMicroseconds
    }
}
