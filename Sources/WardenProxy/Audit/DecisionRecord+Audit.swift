public import WardenStore

extension DecisionRecord.Outcome {
    /// The same decision as the audit trail spells it.
    public var auditDecision: AuditDecision {
        // The two spell every decision alike; a new outcome without an audit name is recorded as a refusal.
        AuditDecision(name: description) ?? .denied
    }
}
