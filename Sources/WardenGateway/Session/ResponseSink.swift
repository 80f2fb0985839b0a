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
/// The session yields items on its event loop; one HTTP handler task takes them with `next()`, as fast as the
/// client's connection takes them. The queue is bounded by the session, not here: `yield` says when more than
/// ``highWater`` bytes wait, the session then stops reading its upstream, and `onDrained` tells it when the client
/// has taken the queue down to ``lowWater`` again.
final class ResponseSink: Sendable {
    /// Bytes queued for one response past which its session stops reading from the upstream.
    static let highWater = 1 << 20
    /// Bytes queued at which reading resumes.
    static let lowWater = highWater / 2

    private struct State {
        var items: [SinkItem] = []
        var head = 0
        var queuedBytes = 0
        var isFull = false
        var finished = false
        var waiter: CheckedContinuation<SinkItem?, Never>?
        var onDrained: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    /// Whether the response may become an event stream (the client accepts `text/event-stream`).
    let acceptsEvents: Bool

    init(acceptsEvents: Bool) {
        self.acceptsEvents = acceptsEvents
    }

    /// Bytes waiting for the client to take them.
    var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    /// Called (on the consumer's thread) once a full sink has been drained to ``lowWater``.
    func setOnDrained(_ callback: (@Sendable () -> Void)?) {
        state.withLock { $0.onDrained = callback }
    }

    /// Queues `item`; returns true when the sink is now over ``highWater`` and its producer should pause.
    @discardableResult
    func yield(_ item: SinkItem) -> Bool {
        let (waiter, full) = state.withLock { state -> (CheckedContinuation<SinkItem?, Never>?, Bool) in
            guard !state.finished else { return (nil, false) }
            if item.isFinal { state.finished = true }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, false)
            }
            state.items.append(item)
            state.queuedBytes += item.message.readableBytes
            if state.queuedBytes > Self.highWater { state.isFull = true }
            return (nil, state.isFull)
        }
        waiter?.resume(returning: item)
        return full
    }

    /// Ends the sink; the consumer still gets what is queued, unless `discarding` (nobody will take it any more).
    func finish(discarding: Bool = false) {
        let (waiter, drained) = state.withLock { state -> (CheckedContinuation<SinkItem?, Never>?, (@Sendable () -> Void)?) in
            state.finished = true
            guard discarding else { return (state.waiter.take(), nil) }
            state.items.removeAll()
            state.head = 0
            state.queuedBytes = 0
            // The producer paused for this sink: it may go on.
            let drained = state.isFull ? state.onDrained : nil
            state.isFull = false
            defer { state.waiter = nil }
            return (state.waiter, drained)
        }
        waiter?.resume(returning: nil)
        drained?()
    }

    /// The next item, or nil once the sink is finished and drained (or the waiting task is cancelled).
    func next() async -> SinkItem? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<SinkItem?, Never>) in
                let (ready, item, drained) = state.withLock { state -> (Bool, SinkItem?, (@Sendable () -> Void)?) in
                    if state.head < state.items.count {
                        let item = state.items[state.head]
                        state.head += 1
                        state.queuedBytes -= item.message.readableBytes
                        if state.head > 64, state.head * 2 > state.items.count {
                            state.items.removeFirst(state.head)
                            state.head = 0
                        }
                        var drained: (@Sendable () -> Void)?
                        if state.isFull, state.queuedBytes <= Self.lowWater {
                            state.isFull = false
                            drained = state.onDrained
                        }
                        return (true, item, drained)
                    }
                    if state.finished || Task.isCancelled { return (true, nil, nil) }
                    state.waiter = continuation
                    return (false, nil, nil)
                }
                if ready { continuation.resume(returning: item) }
                drained?()
            }
        } onCancel: {
            finish(discarding: true)
        }
    }
}
