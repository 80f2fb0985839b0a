public import Foundation
public import WardenStore

/// What every mode of Warden runs beside its sessions: the stores, approvals, the audit trail and the listing in
/// `warden status`. Built by a command from its flags or config file; defaults suit a single local process.
public struct RuntimeConfiguration: Sendable {
    /// The store (`--store`), or nil for the default SQLite file.
    public var store: StoreDSN?
    /// Whether decisions are written to the audit trail (they are logged either way).
    public var keepsAudit = true
    /// Audit records older than this are deleted at start.
    public var auditRetention: Duration?
    /// Gets a JSON POST for each new and each resolved approval.
    public var approvalWebhook: URL?
    /// How long the last announcements may take to go out when Warden stops.
    public var webhookDrainTimeout: Duration = .seconds(5)
    /// How often a client that asked for progress hears from a call held for a person.
    public var approvalProgress: Duration = .seconds(5)
    /// Whether a policy in force may hold calls for a person: then the approvals a previous run left pending are
    /// settled at start.
    public var holdsCalls = false
    /// How `warden status` lists this process: `run` or `serve`, and the server (or servers) it fronts.
    public var mode: String
    public var server: String?
    /// How often the listing says this process is still alive.
    public var heartbeatInterval: Duration = .seconds(5)

    public init(mode: String, server: String?) {
        self.mode = mode
        self.server = server
    }
}
