import NIOCore
import WardenJSON
import WardenMCP
import WardenProxy

/// Flow control and health of a session's upstream: reading pauses while a client's response is full, restarts
/// back off only while the upstream fails again and again, and a session whose client left cancels what it waits for.
extension GatewaySession {
    // MARK: - Backpressure

    /// Whether the upstream stops reading when asked to (a child process of this session's own): the others (a
    /// shared process, a remote server) cannot wait for one slow client.
    var upstreamPauses: Bool {
        guard case .ready(let link) = upstream else { return true }
        return link.pausesReading
    }

    /// The upstream reads on only while every response of the session has room.
    func upstreamMayRead() -> Bool {
        fullSinks.isEmpty
    }

    /// `sink` is over its high-water mark: no more is read from the upstream until its client takes some.
    func pause(for sink: ResponseSink) {
        let key = ObjectIdentifier(sink)
        guard fullSinks.insert(key).inserted else { return }
        let loop = self.loop
        sink.setOnDrained { [weak self] in
            loop.execute { [weak self] in self?.resume(key) }
        }
    }

    /// A sink nobody will read any more, or one drained below its low-water mark: it holds the upstream no longer.
    func released(_ sink: ResponseSink) {
        resume(ObjectIdentifier(sink))
    }

    private func resume(_ key: ObjectIdentifier) {
        guard fullSinks.remove(key) != nil, fullSinks.isEmpty, case .ready(let link) = upstream else { return }
        link.readMore()
    }

    // MARK: - Restart backoff

    /// How long to wait before starting the upstream again after `failures` failures in a row: not at all after the
    /// first (a server that served calls and then crashed once comes back at once), then 250 ms, doubling to 30 s.
    static func backoffMilliseconds(afterFailures failures: Int) -> Int {
        failures <= 1 ? 0 : min(30_000, 250 << min(failures - 2, 7))
    }

    /// Counts one more failure in a row and reports it; returns the backoff, in milliseconds.
    func noteFailure() -> Int {
        failures += 1
        let backoff = Self.backoffMilliseconds(afterFailures: failures)
        health?.update(session: id, server: serverName, failures: failures, retryAt: .now() + .milliseconds(Int64(backoff)))
        return backoff
    }

    /// An answer to a client's request ends a run of failures: the upstream is serving again.
    func noteServed(_ frame: FramedMessage) {
        guard case .message(let buffer) = frame, case .success(let envelope) = MessageInspector.inspect(buffer),
            envelope.kind == .response, let id = envelope.id, waiters[id] != nil
        else { return }
        failures = 0
        health?.remove(session: self.id)
    }

    // MARK: - A client that left

    /// Tells the upstream, with `notifications/cancelled`, that nobody waits for the requests in flight any more; the
    /// interceptor settles them (a forwarded call keeps counting against its limits, as on any cancellation).
    func cancelAbandoned(reason: String) {
        loop.preconditionInEventLoop()
        for id in waiterOrder {
            let params: JSONValue = ["requestId": id.value, "reason": .string(reason)]
            driver.fromClient(.message(ByteBuffer(bytes: JSONRPCMessage.notification(method: "notifications/cancelled", params: params))))
        }
    }
}
