public import WardenPolicy

extension Policy {
    /// Whether some call may wait for a person: then approvals a previous run left pending are settled at start.
    public var holdsCalls: Bool {
        defaultAction == .requireApproval || rules.contains { $0.action == .requireApproval }
    }
}
