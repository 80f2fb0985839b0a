import Logging
import ServiceLifecycle
import WardenPolicy
import WardenStore

/// Settles at start the approvals a previous run was holding: their records say what became of the calls (expired)
/// instead of staying pending with no process left to release them.
struct OrphanApprovalExpiry: Service {
    let store: any ApprovalStore
    let logger: Logger

    func run() async throws {
        do {
            let expired = try store.expireOrphans(at: Timestamp.now(), isOwnerAlive: InstanceID.isAlive)
            if expired > 0 { logger.info("approvals of a previous run expired", metadata: ["approvals.expired": "\(expired)"]) }
        } catch {
            logger.debug("approvals of a previous run not expired", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
    }
}
