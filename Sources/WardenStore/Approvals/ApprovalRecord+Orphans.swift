import WardenPolicy

extension ApprovalRecord {
    /// Why a pending record can no longer be decided, or nil while a proxy still waits on it.
    ///
    /// Both stores use this at start-up, so a restart turns yesterday's held calls into records that say what became
    /// of them instead of leaving them pending for a person to approve in vain.
    static func orphanReason(_ record: ApprovalRecord, at time: Timestamp, isOwnerAlive: (String) -> Bool) -> String? {
        guard record.state == .pending else { return nil }
        if record.expiresAt <= time { return "timed out" }
        guard let owner = record.ownerInstance, isOwnerAlive(owner) else { return "the proxy holding the call is gone" }
        return nil
    }
}
