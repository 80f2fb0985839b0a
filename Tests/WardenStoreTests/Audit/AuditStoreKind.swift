import Testing
import WardenPolicy
import WardenStore

/// The audit store implementations every behavioural test runs against.
enum AuditStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite

    var testDescription: String { rawValue }

    func make(in directory: String) throws -> any AuditStore {
        switch self {
        case .memory: MemoryAuditStore()
        case .sqlite: try SQLiteAuditStore(path: directory + "/warden.db")
        }
    }
}

/// A record with every field set, at `second` seconds past a fixed start.
func fullRecord(second: Int64 = 0, tool: String = "write_record", agent: String? = "bot", decision: AuditDecision = .allowed) -> AuditRecord {
    AuditRecord(
        time: Timestamp(millisecondsSinceEpoch: 1_764_064_800_000 + second * 1000),
        agentID: agent,
        sessionID: "session-1",
        clientName: "claude-code",
        clientVersion: "2.0.1",
        protocolRevision: "2025-11-25",
        server: "records",
        tool: tool,
        requestID: "\(second)",
        decision: decision,
        rule: decision == .allowed ? nil : "legal hold",
        reason: decision == .allowed ? nil : "Records under legal hold cannot be changed",
        argumentsDigest: String(repeating: "0f", count: 32),
        arguments: #"{"id":"r-1"}"#,
        outcome: decision == .allowed ? nil : .refused,
        decisionMicroseconds: 17,
        upstreamMicroseconds: nil
    )
}

let auditStart = Timestamp(millisecondsSinceEpoch: 1_764_064_800_000)
