import ServiceLifecycle

/// Runs while the audit journal's mover does, and closes the store on shutdown: what the journal still holds goes
/// into the database before the process ends, so `warden audit` shows everything at once.
///
/// A journal left behind by a process that died is moved by the next Warden to open the store.
struct AuditJournalMover: Service {
    let audit: LazyAuditStore

    func run() async throws {
        // Cancellation (another service failed) closes the store too.
        try? await gracefulShutdown()
        audit.close()
    }
}
