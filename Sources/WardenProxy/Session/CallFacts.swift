import WardenJSON
import WardenMCP
import WardenPolicy

/// What the audit trail records about a call besides the decision.
struct CallFacts: Sendable {
    var id: JSONRPCID
    var arguments: JSONValue
    var revision: ProtocolRevision?
    var startedAt: UInt64
    var auditSettings: AuditSettings
}
