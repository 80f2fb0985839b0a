public import WardenJSON
public import WardenPolicy

/// A call held for a person, as the store keeps it.
public struct ApprovalRecord: Sendable, Hashable {
    public var id: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var agentID: String?
    public var sessionID: String
    public var server: String?
    public var tool: String
    /// The arguments as canonical JSON with the policy's `redact` paths and anything that looks like a secret hidden,
    /// kept whatever the audit setting so a person sees what they approve (nil only in records from older versions).
    public var arguments: String?
    public var argumentsDigest: String?
    public var rule: String?
    public var reason: String?
    public var state: ApprovalState
    public var resolvedAt: Timestamp?
    public var resolvedBy: String?
    public var resolutionReason: String?
    /// The proxy process that holds the agent's request.
    public var ownerInstance: String?
    /// Who may resolve it (the rule's `approval.approvers`); empty means anyone allowed to reach the store.
    public var approvers: [String]

    public init(
        id: String,
        createdAt: Timestamp,
        expiresAt: Timestamp,
        agentID: String? = nil,
        sessionID: String,
        server: String? = nil,
        tool: String,
        arguments: String? = nil,
        argumentsDigest: String? = nil,
        rule: String? = nil,
        reason: String? = nil,
        state: ApprovalState = .pending,
        resolvedAt: Timestamp? = nil,
        resolvedBy: String? = nil,
        resolutionReason: String? = nil,
        ownerInstance: String? = nil,
        approvers: [String] = []
    ) {
        self.id = id
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.agentID = agentID
        self.sessionID = sessionID
        self.server = server
        self.tool = tool
        self.arguments = arguments
        self.argumentsDigest = argumentsDigest
        self.rule = rule
        self.reason = reason
        self.state = state
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.resolutionReason = resolutionReason
        self.ownerInstance = ownerInstance
        self.approvers = approvers
    }

    /// A new unguessable id: `ap_` and 16 characters of base32.
    public static func makeID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return "ap_" + String((0..<16).map { _ in alphabet[Int(generator.next() as UInt8) & 31] })
    }

    /// The record for programs (`--json`).
    public var jsonValue: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func time(_ value: Timestamp?) -> JSONValue { value.map { .number(JSONNumber(Int($0.millisecondsSinceEpoch))) } ?? .null }
        return [
            "id": .string(id),
            "state": .string(state.description),
            "createdAtMs": time(createdAt),
            "expiresAtMs": time(expiresAt),
            "agent": text(agentID),
            "session": .string(sessionID),
            "server": text(server),
            "tool": .string(tool),
            "arguments": text(arguments),
            "argumentsDigest": text(argumentsDigest),
            "rule": text(rule),
            "reason": text(reason),
            "resolvedAtMs": time(resolvedAt),
            "resolvedBy": text(resolvedBy),
            "resolutionReason": text(resolutionReason),
            "ownerInstance": text(ownerInstance),
            "approvers": .array(approvers.map { .string($0) }),
        ]
    }
}
