/// Whether a decision reached the audit trail.
enum AuditWrite {
    case none
    case written(Int64)
    case failed(String)
}
