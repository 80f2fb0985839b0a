public import WardenPolicy
public import WardenStore

/// A person's approve or deny, applied to the store with compare-and-set, the same from the CLI, the admin API
/// and the console.
public enum ApprovalDecision {
    public enum Outcome: Sendable {
        /// The record now says what this person decided.
        case applied(ApprovalRecord)
        case notFound
        /// Someone or something decided first (or it expired); nothing changed.
        case alreadyResolved(ApprovalRecord)
        /// The rule names its approvers and this person is not one of them.
        case notAnApprover(ApprovalRecord)
    }

    public static func apply(
        id: String,
        state: ApprovalState,
        by person: String,
        reason: String?,
        in store: any ApprovalStore,
        at time: Timestamp
    ) throws(StoreError) -> Outcome {
        guard let before = try store.get(id: id) else { return .notFound }
        if !before.approvers.isEmpty, !before.approvers.contains(person) { return .notAnApprover(before) }
        if before.state == .pending, before.expiresAt <= time {
            // The proxy has given up on it (or is about to); a late approval must not look as if it counted.
            let expired = try store.resolve(id: id, to: .expired, by: ApprovalWaiter.resolver, reason: "timed out", at: time)
            return .alreadyResolved(expired ?? before)
        }
        guard let after = try store.resolve(id: id, to: state, by: person, reason: reason, at: time) else { return .notFound }
        // The store returns the record as it is now; only our own by-and-time on it means this decision won.
        guard after.state == state, after.resolvedBy == person, after.resolvedAt == time else { return .alreadyResolved(after) }
        return .applied(after)
    }

    /// What an already-resolved record says, for messages: `denied by alice (too risky)`.
    public static func describe(_ record: ApprovalRecord) -> String {
        var detail = "\(record.state)"
        if let by = record.resolvedBy { detail += " by \(by)" }
        if let reason = record.resolutionReason { detail += " (\(reason))" }
        return detail
    }
}
