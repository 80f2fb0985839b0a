import NIOCore
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenStore

/// A call that passed the rules and waits for its limits, and perhaps a person, before it may go upstream.
public struct PendingCall: Sendable {
    /// Warden's own identity for the call, under which its state lives.
    var key: CallKey
    /// The client's id for the call, which its answer carries.
    var id: JSONRPCID
    var buffer: ByteBuffer
    var tool: String
    var arguments: JSONValue
    var rule: String?
    var reason: String?
    var clientName: String?
    var revision: ProtocolRevision?
    var time: Timestamp
    var plan: LimitPlan
    var failsOpen: Bool
    /// Set when a person must approve the call first.
    var approval: ApprovalSettings?
    var progressToken: JSONValue?
    var agentID: String?
    var sessionID: String
    var server: String?
    var auditSettings: AuditSettings
    /// When Warden received the call, on the monotonic clock, in nanoseconds.
    var startedAt: UInt64

    var facts: CallFacts {
        CallFacts(id: id, arguments: arguments, revision: revision, startedAt: startedAt, auditSettings: auditSettings)
    }
}

/// What the audit trail records about a call besides the decision.
struct CallFacts: Sendable {
    var id: JSONRPCID
    var arguments: JSONValue
    var revision: ProtocolRevision?
    var startedAt: UInt64
    var auditSettings: AuditSettings
}

/// Whether a decision reached the audit trail.
enum AuditWrite {
    case none
    case written(Int64)
    case failed(String)
}

/// What came of work done off the event loop, handed back to `SessionInterceptor.resolve(_:into:)`.
public struct DeferredResolution: Sendable {
    enum Outcome: Sendable {
        /// Limits reserved (and a person approved, if one had to): send the call now.
        case admitted(ReservationID?)
        case refused(limitIndex: Int, retryAfter: Duration?)
        case storeFailed(String)
        /// The quota of a failed call is back; now its answer may go to the client.
        case released(ByteBuffer)
        /// The call waits for a person under this approval id.
        case held(approvalID: String)
        /// Still waiting: tell a client that asked for progress.
        case stillWaiting(approvalID: String, count: Int)
        /// A person said no, or nobody answered in time.
        case approvalRefused(approvalID: String, reason: String, expired: Bool)
        /// The client withdrew the call while it waited; it gets no answer.
        case withdrawn(approvalID: String)
    }

    let call: PendingCall?
    let outcome: Outcome
}

/// Store work the interceptor needs done off the event loop. `run` may hand intermediate resolutions to `emit`
/// (a held call's approval id, progress while it waits) and returns the final one, if any.
public struct DeferredWork: Sendable {
    public typealias Emit = @Sendable (DeferredResolution) -> Void
    let body: @Sendable (_ emit: @escaping Emit) async -> DeferredResolution?
    /// Whether the work may run on the session's event loop: it only awaits (the limit store's writes go to their
    /// own queue), so running it there saves two thread hand-offs per call. Work that may wait on a synchronous
    /// store call (holding a call for a person) runs on the shared pool.
    var staysOnLoop = false

    init(staysOnLoop: Bool = false, body: @escaping @Sendable (_ emit: @escaping Emit) async -> DeferredResolution?) {
        self.staysOnLoop = staysOnLoop
        self.body = body
    }

    public func run(emit: @escaping Emit) async -> DeferredResolution? {
        await body(emit)
    }

    /// Reserves the call's limits, holds it for a person when the policy says so, and, once it may go, records it
    /// as forwarded before the transport sends it.
    static func admit(
        _ call: PendingCall,
        limits: (any LimitStore)?,
        approvals: ApprovalChannel?,
        now: @escaping @Sendable () -> Timestamp
    ) -> DeferredWork {
        DeferredWork(staysOnLoop: call.approval == nil) { emit in
            var reservation: ReservationID?
            if !call.plan.isEmpty {
                guard let limits else { return DeferredResolution(call: call, outcome: .storeFailed("no limit store is configured")) }
                do {
                    switch try await limits.reserve(call.plan.requests, at: now()) {
                    case .admitted(let id): reservation = id
                    case .refused(let index, let retryAfter):
                        return DeferredResolution(call: call, outcome: .refused(limitIndex: index, retryAfter: retryAfter))
                    }
                } catch {
                    return DeferredResolution(call: call, outcome: .storeFailed("\(error)"))
                }
            }
            if let settings = call.approval {
                guard let approvals else {
                    await rollback(reservation, in: limits)
                    return DeferredResolution(call: call, outcome: .storeFailed("no approval store is configured"))
                }
                let verdict = await approvals.hold(call, settings: settings, now: now, emit: emit)
                switch verdict {
                case .approved:
                    break
                case .refused(let approvalID, let reason, let expired):
                    await rollback(reservation, in: limits)
                    return DeferredResolution(call: call, outcome: .approvalRefused(approvalID: approvalID, reason: reason, expired: expired))
                case .withdrawn(let approvalID):
                    await rollback(reservation, in: limits)
                    return DeferredResolution(call: call, outcome: .withdrawn(approvalID: approvalID))
                case .failed(let message):
                    await rollback(reservation, in: limits)
                    return DeferredResolution(call: call, outcome: .storeFailed(message))
                }
            }
            if let reservation, let limits {
                do {
                    try await limits.forwarded(reservation, at: now())
                } catch {
                    try? await limits.rollback(reservation)
                    return DeferredResolution(call: call, outcome: .storeFailed("\(error)"))
                }
            }
            return DeferredResolution(call: call, outcome: .admitted(reservation))
        }
    }

    private static func rollback(_ reservation: ReservationID?, in store: (any LimitStore)?) async {
        guard let reservation, let store else { return }
        try? await store.rollback(reservation)
    }

    static func commit(_ reservation: ReservationID, in store: any LimitStore) -> DeferredWork {
        DeferredWork(staysOnLoop: true) { _ in
            try? await store.commit(reservation)
            return nil
        }
    }

    /// Gives a failed call's quota back, then releases its answer, so a client that retries finds the room there.
    static func rollback(_ reservation: ReservationID, in store: any LimitStore, thenDeliver answer: ByteBuffer) -> DeferredWork {
        DeferredWork(staysOnLoop: true) { _ in
            try? await store.rollback(reservation)
            return DeferredResolution(call: nil, outcome: .released(answer))
        }
    }

    static func rollback(_ reservation: ReservationID, in store: any LimitStore) -> DeferredWork {
        DeferredWork(staysOnLoop: true) { _ in
            try? await store.rollback(reservation)
            return nil
        }
    }

    /// Any store work with no resolution: settling an approval, writing an outcome.
    static func detached(_ body: @escaping @Sendable () async -> Void) -> DeferredWork {
        DeferredWork { _ in
            await body()
            return nil
        }
    }
}
