import Logging
import ServiceLifecycle
import WardenPolicy
import WardenStore

/// Deletes audit records older than the retention (`--audit-retention`) at start.
struct AuditRetention: Service {
    let audit: any AuditStore
    let keep: Duration
    let logger: Logger

    func run() async throws {
        do {
            let removed = try audit.prune(before: Timestamp.now() - keep)
            logger.info("audit records pruned", metadata: ["audit.removed": "\(removed)"])
        } catch {
            logger.error("audit records not pruned", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
    }
}
