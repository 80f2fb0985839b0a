public import WardenJSON
public import WardenMCP
public import WardenPolicy

/// A refused `tools/call`, as the agent sees it.
///
/// It is a normal tool result with `isError: true`, so the model reads the reason and can adapt; the details
/// for programs travel in `_meta["warden/decision"]`, never in `structuredContent`, where a tool's
/// `outputSchema` would not match them.
public struct Denial: Sendable, Hashable {
    public var action: Action
    public var rule: String?
    public var reason: String
    public var retryAfterSeconds: Int?
    /// The approval a person refused or let expire, when there was one.
    public var approvalID: String?

    public init(action: Action = .deny, rule: String?, reason: String, retryAfterSeconds: Int? = nil) {
        self.action = action
        self.rule = rule
        self.reason = reason
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The sentence the model reads.
    public var text: String {
        var text = "Denied by policy: \(reason)"
        if let rule { text += " (rule \"\(rule)\")" }
        if let retryAfterSeconds { text += "; retry after \(retryAfterSeconds) seconds" }
        return text
    }

    /// The machine-readable decision under `_meta["warden/decision"]`.
    public var decisionMeta: JSONObject {
        var decision: JSONObject = ["action": .string(action.description), "reason": .string(reason)]
        decision["rule"] = rule.map { .string($0) } ?? .null
        if let retryAfterSeconds { decision["retryAfterSeconds"] = .number(JSONNumber(retryAfterSeconds)) }
        if let approvalID { decision["approvalId"] = .string(approvalID) }
        return decision
    }

    /// The `tools/call` result carrying the denial, shaped for the revision the request speaks.
    public func toolResult(revision: ProtocolRevision? = nil) -> JSONValue {
        ToolResult.error(text: text, meta: ["warden/decision": .object(decisionMeta)], revision: revision)
    }
}
