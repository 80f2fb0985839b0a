/// How a `require_approval` call waits for a person.
public struct ApprovalSettings: Hashable, Sendable {
    /// How long a call waits before it is denied; 5 minutes unless the rule says otherwise.
    public var timeout: Duration
    /// Who may approve; empty means anyone allowed to resolve approvals.
    public var approvers: [String]
    /// YAML `ask_client`: whether a client that declares the `elicitation` capability is asked to approve the call
    /// itself, in band. Off by default: the client is the agent, and an autonomous agent answering its own approval
    /// form is no person at all; only a rule for a client known to show the form to its human should turn it on.
    public var askClient: Bool

    public init(timeout: Duration = .seconds(300), approvers: [String] = [], askClient: Bool = false) {
        self.timeout = timeout
        self.approvers = approvers
        self.askClient = askClient
    }
}
