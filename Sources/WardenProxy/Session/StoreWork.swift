import NIOCore
import WardenPolicy
import WardenStore

/// Store work (limits, approvals, audit outcomes) the interceptor needs done off its event loop. `run` may hand intermediate resolutions to `emit`
/// (a held call's approval id, progress while it waits) and returns the final one, if any.
public struct StoreWork: Sendable {
    public typealias Emit = @Sendable (StoreWorkResult) -> Void
    let body: @Sendable (_ emit: @escaping Emit) async -> StoreWorkResult?
    /// Whether the work may run on the session's event loop: it only awaits (the limit store's writes go to their
    /// own queue), so running it there saves two thread hand-offs per call. Work that may wait on a synchronous
    /// store call (holding a call for a person) runs on the shared pool.
    var staysOnLoop = false

    init(staysOnLoop: Bool = false, body: @escaping @Sendable (_ emit: @escaping Emit) async -> StoreWorkResult?) {
        self.staysOnLoop = staysOnLoop
        self.body = body
    }

    public func run(emit: @escaping Emit) async -> StoreWorkResult? {
        await body(emit)
    }

    /// Reserves the call's limits, holds it for a person when the policy says so, and, once it may go, records it
    /// as forwarded before the transport sends it.
    static func admit(
        _ call: PendingCall,
        limits: (any LimitStore)?,
        approvals: ApprovalChannel?,
        now: @escaping @Sendable () -> Timestamp
    ) -> StoreWork {
        StoreWork(staysOnLoop: call.approval == nil) { emit in
            var reservation: ReservationID?
            if !call.plan.isEmpty {
                guard let limits else { return StoreWorkResult(call: call, outcome: .storeFailed("no limit store is configured")) }
                do {
                    switch try await limits.reserve(call.plan.requests, at: now()) {
                    case .admitted(let id): reservation = id
                    case .refused(let index, let retryAfter):
                        return StoreWorkResult(call: call, outcome: .refused(limitIndex: index, retryAfter: retryAfter))
                    }
                } catch {
                    return StoreWorkResult(call: call, outcome: .storeFailed("\(error)"))
                }
            }
            if let settings = call.approval {
                guard let approvals else {
                    await rollback(reservation, in: limits)
                    return StoreWorkResult(call: call, outcome: .storeFailed("no approval store is configured"))
                }
                let verdict = await approvals.hold(call, settings: settings, now: now, emit: emit)
                switch verdict {
                case .approved:
                    break
                case .refused(let approvalID, let reason, let expired):
                    await rollback(reservation, in: limits)
                    return StoreWorkResult(call: call, outcome: .approvalRefused(approvalID: approvalID, reason: reason, expired: expired))
                case .withdrawn(let approvalID):
                    await rollback(reservation, in: limits)
                    return StoreWorkResult(call: call, outcome: .withdrawn(approvalID: approvalID))
                case .failed(let message):
                    await rollback(reservation, in: limits)
                    return StoreWorkResult(call: call, outcome: .storeFailed(message))
                }
            }
            if let reservation, let limits {
                do {
                    try await limits.forwarded(reservation, at: now())
                } catch {
                    try? await limits.rollback(reservation)
                    return StoreWorkResult(call: call, outcome: .storeFailed("\(error)"))
                }
            }
            return StoreWorkResult(call: call, outcome: .admitted(reservation))
        }
    }

    private static func rollback(_ reservation: ReservationID?, in store: (any LimitStore)?) async {
        guard let reservation, let store else { return }
        try? await store.rollback(reservation)
    }

    static func commit(_ reservation: ReservationID, in store: any LimitStore) -> StoreWork {
        StoreWork(staysOnLoop: true) { _ in
            try? await store.commit(reservation)
            return nil
        }
    }

    /// Gives a failed call's quota back, then releases its answer, so a client that retries finds the room there.
    static func rollback(_ reservation: ReservationID, in store: any LimitStore, thenDeliver answer: ByteBuffer) -> StoreWork {
        StoreWork(staysOnLoop: true) { _ in
            try? await store.rollback(reservation)
            return StoreWorkResult(call: nil, outcome: .released(answer))
        }
    }

    static func rollback(_ reservation: ReservationID, in store: any LimitStore) -> StoreWork {
        StoreWork(staysOnLoop: true) { _ in
            try? await store.rollback(reservation)
            return nil
        }
    }

    /// Any store work with no resolution: settling an approval, writing an outcome.
    static func detached(_ body: @escaping @Sendable () async -> Void) -> StoreWork {
        StoreWork { _ in
            await body()
            return nil
        }
    }
}
