import WardenJSON
import WardenPolicy
public import WardenStore

/// Where held calls wait for a person: the approval store every channel (CLI, console, the client's own user)
/// resolves through, and the webhook that announces them.
public struct ApprovalChannel: Sendable {
    public let store: any ApprovalStore
    public let announcer: WebhookAnnouncer?
    /// This process, recorded as the owner of the calls it holds.
    public let instanceID: String
    /// How often the store is read for a decision made elsewhere (another terminal, another process).
    public var pollInterval: Duration = .milliseconds(200)
    /// How often a waiting client that asked for progress hears from Warden.
    public var progressInterval: Duration = .seconds(5)

    public init(store: any ApprovalStore, announcer: WebhookAnnouncer?, instanceID: String) {
        self.store = store
        self.announcer = announcer
        self.instanceID = instanceID
    }

    enum Verdict: Sendable {
        case approved
        case refused(approvalID: String, reason: String, expired: Bool)
        case withdrawn(approvalID: String)
        case failed(String)
    }

    /// Writes a pending approval for `call` and waits until a person resolves it, it expires, or the task is cancelled.
    func hold(
        _ call: PendingCall,
        settings: ApprovalSettings,
        now: @escaping @Sendable () -> Timestamp,
        emit: @escaping StoreWork.Emit
    ) async -> Verdict {
        let created = now()
        let record = ApprovalRecord(
            id: ApprovalRecord.makeID(),
            createdAt: created,
            expiresAt: created + settings.timeout,
            agentID: call.agentID,
            sessionID: call.sessionID,
            server: call.server,
            tool: call.tool,
            // Approvers see what they approve, even when the audit trail keeps only a digest; secrets are hidden.
            arguments: AuditArguments.scrubbedText(call.arguments, settings: call.auditSettings),
            argumentsDigest: AuditArguments.digest(call.arguments),
            rule: call.rule,
            reason: call.reason,
            state: .pending,
            ownerInstance: instanceID,
            approvers: settings.approvers
        )
        do {
            try store.create(record)
        } catch {
            return .failed("the approval cannot be recorded: \(error)")
        }
        announcer?.announce(.pending(record))
        emit(StoreWorkResult(call: call, outcome: .held(approvalID: record.id)))

        var lastProgress = created
        var progressCount = 0
        let resolved: ApprovalRecord
        do {
            resolved = try await ApprovalWaiter.wait(
                for: record.id,
                in: store,
                until: record.expiresAt,
                pollEvery: pollInterval,
                now: now,
                sleep: { [store] interval in try await store.waitForChange(of: record.id, upTo: interval) },
                whilePending: { _, time in
                    guard call.progressToken != nil, time - lastProgress >= progressInterval else { return }
                    lastProgress = time
                    progressCount += 1
                    emit(StoreWorkResult(call: call, outcome: .stillWaiting(approvalID: record.id, count: progressCount)))
                }
            )
        } catch {
            return .failed("the approval cannot be read: \(error)")
        }
        announcer?.announce(.resolved(resolved))
        switch resolved.state {
        case .approved:
            return .approved
        case .denied:
            let by = resolved.resolvedBy.map { " (\($0))" } ?? ""
            return .refused(
                approvalID: record.id,
                reason: "a person denied this call\(by): \(resolved.resolutionReason ?? "no reason given")",
                expired: false
            )
        case .withdrawn:
            return .withdrawn(approvalID: record.id)
        default:
            return .refused(
                approvalID: record.id,
                reason: "no one approved this call within \(LimitPlan.format(settings.timeout))",
                expired: true
            )
        }
    }
}
