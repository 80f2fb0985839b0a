import NIOCore
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenStore

/// A call that passed the rules and waits for its limits, and perhaps a person, before it may go upstream.
public struct PendingCall: Sendable {
    /// Warden's own identity for the call, under which its state lives.
    var key: CallKey
    /// The client's id for the call, which its answer carries.
    var id: JSONRPCID
    var buffer: ByteBuffer
    var tool: String
    var arguments: JSONValue
    var rule: String?
    var reason: String?
    var clientName: String?
    var revision: ProtocolRevision?
    var time: Timestamp
    var plan: LimitPlan
    var failsOpen: Bool
    /// Set when a person must approve the call first.
    var approval: ApprovalSettings?
    var progressToken: JSONValue?
    var agentID: String?
    var sessionID: String
    var server: String?
    var auditSettings: AuditSettings
    /// When Warden received the call, on the monotonic clock, in nanoseconds.
    var startedAt: UInt64

    var facts: CallFacts {
        CallFacts(id: id, arguments: arguments, revision: revision, startedAt: startedAt, auditSettings: auditSettings)
    }
}
