public import WardenJSON
public import WardenPolicy

/// One decision Warden made about a `tools/call` (or a hidden tool), and what came of it upstream.
///
/// Arguments are kept as a SHA-256 digest; their text only when the policy's `audit.args` says so.
public struct AuditRecord: Sendable, Hashable {
    public var id: Int64?
    public var time: Timestamp
    public var agentID: String?
    public var sessionID: String
    public var clientName: String?
    public var clientVersion: String?
    public var protocolRevision: String?
    public var server: String?
    public var tool: String
    public var requestID: String?
    /// allowed, denied, hidden, rate_limited, budget_exceeded, approval_pending, approval_denied, approval_expired
    public var decision: String
    public var rule: String?
    public var reason: String?
    public var argumentsDigest: String?
    public var arguments: String?
    /// result, tool_error, rpc_error, dead; nil while the call is upstream or when it was never forwarded
    public var outcome: String?
    public var decisionMicroseconds: Int?
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
        decision: String,
        rule: String? = nil,
        reason: String? = nil,
        argumentsDigest: String? = nil,
        arguments: String? = nil,
        outcome: String? = nil,
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

    /// The record for programs (`--json`, `--jsonl`, export).
    public var jsonValue: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func number(_ value: Int?) -> JSONValue { value.map { .number(JSONNumber($0)) } ?? .null }
        return [
            "id": number(id.map { Int($0) }),
            "timeMs": .number(JSONNumber(Int(time.millisecondsSinceEpoch))),
            "agent": text(agentID),
            "session": .string(sessionID),
            "client": text(clientName),
            "clientVersion": text(clientVersion),
            "protocolRevision": text(protocolRevision),
            "server": text(server),
            "tool": .string(tool),
            "requestId": text(requestID),
            "decision": .string(decision),
            "rule": text(rule),
            "reason": text(reason),
            "argumentsSha256": text(argumentsDigest),
            "arguments": text(arguments),
            "outcome": text(outcome),
            "decisionMicros": number(decisionMicroseconds),
            "upstreamMicros": number(upstreamMicroseconds),
        ]
    }
}

/// Which records a query returns.
public struct AuditFilter: Sendable, Hashable {
    public var since: Timestamp?
    public var until: Timestamp?
    public var agentID: String?
    public var tool: String?
    public var decision: String?
    public var rule: String?
    /// Only records after this id, oldest first (for following the trail).
    public var afterID: Int64?
    public var limit: Int?

    public init(
        since: Timestamp? = nil,
        until: Timestamp? = nil,
        agentID: String? = nil,
        tool: String? = nil,
        decision: String? = nil,
        rule: String? = nil,
        afterID: Int64? = nil,
        limit: Int? = nil
    ) {
        self.since = since
        self.until = until
        self.agentID = agentID
        self.tool = tool
        self.decision = decision
        self.rule = rule
        self.afterID = afterID
        self.limit = limit
    }
}

/// Where decisions are recorded. Synchronous: `append` returns only once the record is committed, because the
/// proxy forwards or refuses the call only after that.
public protocol AuditStore: Sendable {
    func append(_ record: AuditRecord) throws(StoreError) -> Int64
    func recordOutcome(id: Int64, outcome: String, upstreamMicroseconds: Int?) throws(StoreError)
    /// Matching records in time order, oldest first.
    func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord]
    /// Deletes records older than `time`; returns how many.
    func prune(before time: Timestamp) throws(StoreError) -> Int
}
