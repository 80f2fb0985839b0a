public import WardenJSON
import WardenPolicy

extension AuditRecord {
    /// The record for programs (`warden audit --json`, `--jsonl`, `export`): every field, `null` when absent.
    ///
    /// The key names are an interface: scripts and SIEM pipelines match on them, so they only ever grow.
    public var jsonValue: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func number(_ value: Int?) -> JSONValue { value.map { .number(JSONNumber($0)) } ?? .null }
        return [
            "id": id.map { .number(JSONNumber(literal: String($0))) } ?? .null,
            "time": .string(time.iso8601),
            "timeMs": .number(JSONNumber(literal: String(time.millisecondsSinceEpoch))),
            "agent": text(agentID),
            "session": .string(sessionID),
            "client": text(clientName),
            "clientVersion": text(clientVersion),
            "protocolRevision": text(protocolRevision),
            "server": text(server),
            "tool": .string(tool),
            "requestId": text(requestID),
            "decision": .string(decision.description),
            "rule": text(rule),
            "reason": text(reason),
            "argumentsSha256": text(argumentsDigest),
            "arguments": text(arguments),
            "outcome": text(outcome?.description),
            "decisionMicros": number(decisionMicroseconds),
            "upstreamMicros": number(upstreamMicroseconds),
        ]
    }
}
