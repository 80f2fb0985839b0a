import NIOCore
import WardenMCP
import WardenPolicy
import WardenStore

/// A call that passed the rules and waits for its limits to be reserved.
public struct PendingCall: Sendable {
    var id: JSONRPCID
    var buffer: ByteBuffer
    var tool: String
    var rule: String?
    var reason: String?
    var clientName: String?
    var revision: ProtocolRevision?
    var time: Timestamp
    var plan: LimitPlan
    var failsOpen: Bool
}

/// What came of reserving a call's limits.
public struct LimitResolution: Sendable {
    enum Outcome: Sendable {
        case admitted(ReservationID)
        case refused(limitIndex: Int, retryAfter: Duration?)
        case storeFailed(String)
        /// The quota of a failed call is back; now its answer may go to the client.
        case released(ByteBuffer)
    }

    let call: PendingCall?
    let outcome: Outcome
}

/// Store work the interceptor needs done off the event loop; a resolution, if any, goes back to
/// `SessionInterceptor.resolve(_:into:)` on the loop.
public struct DeferredWork: Sendable {
    public let run: @Sendable () async -> LimitResolution?

    /// Reserves the call's limits and, when admitted, records it as forwarded before the transport sends it.
    static func reserve(_ call: PendingCall, in store: (any LimitStore)?, now: @escaping @Sendable () -> Timestamp) -> DeferredWork {
        DeferredWork {
            guard let store else { return LimitResolution(call: call, outcome: .storeFailed("no limit store is configured")) }
            do {
                switch try await store.reserve(call.plan.requests, at: now()) {
                case .admitted(let reservation):
                    do {
                        try await store.forwarded(reservation, at: now())
                    } catch {
                        try? await store.rollback(reservation)
                        return LimitResolution(call: call, outcome: .storeFailed("\(error)"))
                    }
                    return LimitResolution(call: call, outcome: .admitted(reservation))
                case .refused(let index, let retryAfter):
                    return LimitResolution(call: call, outcome: .refused(limitIndex: index, retryAfter: retryAfter))
                }
            } catch {
                return LimitResolution(call: call, outcome: .storeFailed("\(error)"))
            }
        }
    }

    static func commit(_ reservation: ReservationID, in store: any LimitStore) -> DeferredWork {
        DeferredWork {
            try? await store.commit(reservation)
            return nil
        }
    }

    /// Gives a failed call's quota back, then releases its answer, so a client that retries finds the room there.
    static func rollback(_ reservation: ReservationID, in store: any LimitStore, thenDeliver answer: ByteBuffer) -> DeferredWork {
        DeferredWork {
            try? await store.rollback(reservation)
            return LimitResolution(call: nil, outcome: .released(answer))
        }
    }

    static func rollback(_ reservation: ReservationID, in store: any LimitStore) -> DeferredWork {
        DeferredWork {
            try? await store.rollback(reservation)
            return nil
        }
    }
}
