/// How a `require_approval` call waits for a person.
public struct ApprovalSettings: Hashable, Sendable {
    /// How long a call waits before it is denied; 5 minutes unless the rule says otherwise.
    public var timeout: Duration
    /// Who may approve; empty means anyone allowed to resolve approvals.
    public var approvers: [String]

    public init(timeout: Duration = .seconds(300), approvers: [String] = []) {
        self.timeout = timeout
        self.approvers = approvers
    }
}
