import NIOCore
import WardenPolicy
import WardenStore

/// What came of store work done off the event loop, handed back to `SessionInterceptor.resolve(_:into:)`.
public struct StoreWorkResult: Sendable {
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
