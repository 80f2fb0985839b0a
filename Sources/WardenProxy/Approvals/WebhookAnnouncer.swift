public import Foundation
public import Logging
import Synchronization
public import WardenStore

/// Announces new and resolved approvals, and tool definitions held for review, with a JSON POST to a webhook, never
/// on the call path.
///
/// `announce` only puts the event in a bounded queue and returns; one background task delivers the queue in order,
/// retrying with exponential backoff. A webhook that is down or slow costs announcements (the oldest are dropped
/// when the queue is full, with a warning), never a held call's time or the proxy's memory.
public final class WebhookAnnouncer: Sendable {
    /// What became of the announcements so far.
    public struct Counts: Hashable, Sendable {
        /// Answered with a 2xx status.
        public var delivered = 0
        /// Given up after the last attempt failed.
        public var failed = 0
        /// Pushed out of a full queue before an attempt was made.
        public var dropped = 0

        public init(delivered: Int = 0, failed: Int = 0, dropped: Int = 0) {
            self.delivered = delivered
            self.failed = failed
            self.dropped = dropped
        }
    }

    private let queue: AsyncStream<WebhookMessage>.Continuation
    private let delivery: WebhookDelivery
    private let worker: Task<Void, Never>
    private let logger: Logger

    /// - Parameters:
    ///   - maxAttempts: POSTs per announcement before it is given up (at least 1).
    ///   - initialBackoff: the wait after the first failure; it doubles after each further one, up to a minute.
    ///   - capacity: announcements waiting for delivery; beyond it the oldest is dropped.
    ///   - requestTimeout: how long one POST may take before it counts as failed.
    public init(
        url: URL,
        logger: Logger,
        maxAttempts: Int = 5,
        initialBackoff: Duration = .milliseconds(500),
        capacity: Int = 100,
        requestTimeout: Duration = .seconds(10)
    ) {
        let (events, queue) = AsyncStream.makeStream(of: WebhookMessage.self, bufferingPolicy: .bufferingNewest(max(capacity, 1)))
        let delivery = WebhookDelivery(
            url: url,
            logger: logger,
            maxAttempts: max(maxAttempts, 1),
            initialBackoff: initialBackoff,
            requestTimeout: requestTimeout
        )
        self.queue = queue
        self.delivery = delivery
        self.logger = logger
        // Ends when the queue is finished and drained (`shutdown` or deinit); `shutdown` cancels it if that takes too long.
        worker = Task {
            for await event in events { await delivery.deliver(event) }
        }
    }

    deinit {
        queue.finish()
    }

    /// Queues `event` for delivery and returns at once.
    public func announce(_ event: ApprovalEvent) {
        enqueue(.approval(event))
    }

    /// Queues `event` for delivery and returns at once.
    public func announce(_ event: PinEvent) {
        enqueue(.pin(event))
    }

    /// Announces `pin.changed` for `record`, a pin whose tool is now held (changed, or new and held): what a session
    /// calls when the pin store's verdict for a listed tool is not `trusted`. Returns at once.
    public func announcePinChange(_ record: PinRecord) {
        enqueue(.pin(.changed(record)))
    }

    private func enqueue(_ message: WebhookMessage) {
        switch queue.yield(message) {
        case .enqueued:
            break
        case .dropped(let oldest):
            delivery.counts.withLock { $0.dropped += 1 }
            logger.warning("approval webhook queue is full; dropped the oldest announcement", metadata: oldest.metadata)
        case .terminated:
            logger.warning("approval webhook is shut down; announcement not sent", metadata: message.metadata)
        @unknown default:
            break
        }
    }

    /// What became of the announcements so far.
    public var counts: Counts {
        delivery.counts.withLock { $0 }
    }

    /// Stops taking announcements and waits up to `timeout` for the queued ones to be delivered or given up;
    /// after that, delivery is cancelled and what is left is lost (and logged).
    public func shutdown(timeout: Duration) async {
        queue.finish()
        let worker = self.worker
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await worker.value
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first { worker.cancel() }
            group.cancelAll()
            return first
        }
        if !finished {
            logger.warning("approval webhook shut down before every announcement was delivered", metadata: ["webhook.timeout": "\(timeout)"])
        }
    }
}
