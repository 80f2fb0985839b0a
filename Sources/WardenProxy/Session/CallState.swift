import NIOCore
import WardenJSON
import WardenMCP
import WardenPolicy

/// Where one request of the client stands, from the moment Warden accepts it until its answer leaves.
///
/// A tools/call moves `admitting` → (`held`) → `forwarded` → answered, or ends early (refused, withdrawn,
/// timed out). Other requests are `forwarded` at once. A call the client already has an answer for (Warden
/// answered a timeout, or the client cancelled it) but the server may still answer is `abandoned`: its late
/// answer is dropped, never handed to a newer request that reuses the id.
enum CallState {
    /// A tools/call that passed the rules and waits off the event loop for its limits (and perhaps a person).
    /// `isCancelled` is set when the client withdrew it meanwhile: it will not be forwarded.
    case admitting(PendingCall, isCancelled: Bool)
    /// A tools/call that waits for Warden's own tools/list, because no listing has shown its tool yet; it is
    /// judged from the start once the listing is in.
    case awaitingDefinitions(WaitingCall)
    /// A tools/call waiting for a person under this approval id.
    case held(PendingCall, approvalID: String)
    /// Sent upstream under the call's upstream id; waits for the server's answer.
    case forwarded(ForwardedCall)
    /// The client has its answer already; the server's answer, if it comes, only completes the audit record.
    case abandoned(ForwardedCall)
}

/// What Warden keeps about a request it sent upstream, to settle it when the answer comes.
struct ForwardedCall {
    enum Kind {
        /// A tools/call: its audit row, its limits, when it left.
        case toolCall(tool: String, reservation: ReservationID?, auditRow: Int64?, sentAt: UInt64)
        /// A tools/list whose answer must be filtered; `fromStart` when it asked for the first page.
        case toolList(fromStart: Bool)
        /// Anything else the client asked the server; passed through.
        case other
        /// Warden's own tools/list, sent to learn the tools' definitions; its answer never reaches the client.
        case ownToolList(sentAt: UInt64)
    }

    var kind: Kind

    var isOwn: Bool {
        if case .ownToolList = kind { return true }
        return false
    }

    var sentAt: UInt64? {
        switch kind {
        case .toolCall(_, _, _, let sentAt), .ownToolList(let sentAt): return sentAt
        case .toolList, .other: return nil
        }
    }
}

/// A tools/call held back until Warden knows its tool's definition: the message as the client sent it.
struct WaitingCall {
    let buffer: ByteBuffer
    let envelope: MessageEnvelope
}
