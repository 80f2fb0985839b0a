import NIOCore
import Synchronization

/// One message for an HTTP response that is waiting on a session, in the order the session routed them.
struct SinkItem: Sendable {
    /// The SSE event id, for `Last-Event-ID`.
    var eventID: String
    var message: ByteBuffer
    /// The answer that ends a POST's stream.
    var isFinal: Bool
}

/// The receiving end of an HTTP response: a POST waiting for its answer, or a GET stream.
///
/// The session yields items on its event loop; one HTTP handler task takes them with `next()`. Unbounded, since
/// the session never produces more than the upstream sent, and the upstream's own reads are bounded by the pipe.
final class ResponseSink: Sendable {
    private struct State {
        var items: [SinkItem] = []
        var head = 0
        var finished = false
        var waiter: CheckedContinuation<SinkItem?, Never>?
    }

    private let state = Mutex(State())
    /// Whether the response may become an event stream (the client accepts `text/event-stream`).
    let acceptsEvents: Bool

    init(acceptsEvents: Bool) {
        self.acceptsEvents = acceptsEvents
    }

    func yield(_ item: SinkItem) {
        let waiter = state.withLock { state -> CheckedContinuation<SinkItem?, Never>? in
            guard !state.finished else { return nil }
            if item.isFinal { state.finished = true }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.items.append(item)
            return nil
        }
        waiter?.resume(returning: item)
    }

    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<SinkItem?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next item, or nil once the sink is finished and drained (or the waiting task is cancelled).
    func next() async -> SinkItem? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<SinkItem?, Never>) in
                let ready = state.withLock { state -> (Bool, SinkItem?) in
                    if state.head < state.items.count {
                        let item = state.items[state.head]
                        state.head += 1
                        if state.head > 64, state.head * 2 > state.items.count {
                            state.items.removeFirst(state.head)
                            state.head = 0
                        }
                        return (true, item)
                    }
                    if state.finished || Task.isCancelled { return (true, nil) }
                    state.waiter = continuation
                    return (false, nil)
                }
                if ready.0 { continuation.resume(returning: ready.1) }
            }
        } onCancel: {
            finish()
        }
    }
}
