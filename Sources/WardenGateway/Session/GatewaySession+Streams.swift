import Logging
import NIOCore
import WardenJSON
import WardenMCP
import WardenProxy

/// The client's side of a gateway session: its GET streams, and the routing of each message the upstream sends to
/// the POST that waits for it or to the session's stream, with event ids a reconnecting stream can resume from.
extension GatewaySession {
    // MARK: - Streams

    /// Attaches a GET stream: the backlog first, or, after `lastEventID`, the events of the stream it names.
    func attachStream(_ sink: ResponseSink, lastEventID: String?) {
        loop.preconditionInEventLoop()
        guard !streamsEnded else {
            sink.finish()
            return
        }
        lastActive = .now()
        if let lastEventID, let number = Self.eventNumber(lastEventID),
            let entry = replayLog.first(where: { Self.eventNumber($0.item.eventID) == number })
        {
            let streamID = entry.streamID
            for logged in replayLog where logged.streamID == streamID && (Self.eventNumber(logged.item.eventID) ?? 0) > number {
                sink.yield(logged.item)
                if logged.item.isFinal { return }
            }
            if streamID != Self.standaloneStream {
                // The POST's answer has not come yet: this stream receives it now.
                for (id, waiter) in waiters where waiter.streamID == streamID {
                    waiters[id]?.sink = sink
                    waiters[id]?.isAbandoned = false
                    return
                }
                sink.finish()
                return
            }
        }
        standalone?.finish()
        standalone = sink
        let pending = backlog
        backlog.removeAll()
        backlogBytes = 0
        for item in pending where sink.yield(item) { pause(for: sink) }
    }

    /// Ends the GET stream (shutdown): the client sees its stream close; requests in flight still get answers.
    func endStreams() {
        loop.preconditionInEventLoop()
        streamsEnded = true
        standalone?.finish()
        standalone = nil
    }

    func detachStream(_ sink: ResponseSink) {
        if standalone === sink { standalone = nil }
        released(sink)
    }

    /// `envelope` is the interceptor's inspection of `buffer`, when it made one: no message is inspected twice.
    func route(_ buffer: ByteBuffer, envelope inspected: MessageEnvelope? = nil) {
        let envelope: MessageEnvelope
        if let inspected {
            envelope = inspected
        } else {
            guard case .success(let found) = MessageInspector.inspect(buffer) else {
                toStandalone(buffer)
                return
            }
            envelope = found
        }
        switch envelope.kind {
        case .response, .errorResponse:
            guard let id = envelope.id, let waiter = waiters.removeValue(forKey: id) else {
                if envelope.id != nil { logger.debug("an answer no request waits for was dropped", metadata: ["id": "\(envelope.id?.raw ?? "")"]) }
                else { toStandalone(buffer) }
                return
            }
            waiterOrder.removeAll { $0 == id }
            progressRoutes = progressRoutes.filter { $0.value != id }
            var message = buffer
            if let clientID = waiter.clientID { message = MessageSplice.replacingID(in: buffer, with: clientID) ?? buffer }
            emit(message, to: waiter, final: true)
        case .notification:
            if envelope.method == "notifications/progress", let token = Self.progressToken(in: buffer, params: envelope.params, key: "progressToken"),
                let id = progressRoutes[token], let waiter = waiters[id]
            {
                emit(buffer, to: waiter, final: false, droppable: true)
                return
            }
            // A notification for a `subscriptions/listen` stream names that request: it goes on that stream,
            // under the id the client used.
            if let (id, rewritten) = subscriptionTarget(buffer, params: envelope.params), let waiter = waiters[id] {
                emit(rewritten, to: waiter, final: false, droppable: true)
                return
            }
            toStandalone(buffer, droppable: true)
        case .request:
            toStandalone(buffer)
        }
    }

    /// A message that belongs to no request: the GET stream, else the newest POST stream, else the backlog.
    func toStandalone(_ buffer: ByteBuffer, droppable: Bool = false) {
        if let standalone {
            emit(buffer, to: standalone, stream: Self.standaloneStream, final: false, droppable: droppable)
            return
        }
        for id in waiterOrder.reversed() {
            if let waiter = waiters[id], !waiter.isAbandoned, waiter.sink.acceptsEvents {
                emit(buffer, to: waiter, final: false, droppable: droppable)
                return
            }
        }
        let next = item(buffer, final: false)
        record(next, stream: Self.standaloneStream)
        var dropped = 0
        while !backlog.isEmpty, backlog.count >= Self.backlogLimit || backlogBytes + buffer.readableBytes > Self.retainedBytesLimit {
            backlogBytes -= backlog.removeFirst().message.readableBytes
            dropped += 1
        }
        if dropped > 0 { logger.warning("a server message was dropped: nobody listened for it and the backlog is full") }
        backlog.append(next)
        backlogBytes += buffer.readableBytes
    }

    func emit(_ message: ByteBuffer, to waiter: Waiter, final: Bool, droppable: Bool = false) {
        guard !waiter.isAbandoned else {
            // Nobody reads it now; a client that resumes the stream finds it in the replay log.
            record(item(message, final: final), stream: waiter.streamID)
            return
        }
        emit(message, to: waiter.sink, stream: waiter.streamID, final: final, droppable: droppable)
    }

    /// Queues `message` for `sink`; pauses the upstream when the sink is full, or, for an upstream that cannot be
    /// paused, drops a notification once the sink holds four times its high-water mark.
    func emit(_ message: ByteBuffer, to sink: ResponseSink, stream: Int, final: Bool, droppable: Bool = false) {
        if droppable, !upstreamPauses, sink.queuedBytes > 4 * ResponseSink.highWater {
            droppedNotifications += 1
            if droppedNotifications & (droppedNotifications - 1) == 0 {
                logger.warning(
                    "server notifications dropped: the client does not read them and the upstream cannot be paused",
                    metadata: ["dropped": "\(droppedNotifications)"]
                )
            }
            return
        }
        let next = item(message, final: final)
        record(next, stream: stream)
        if sink.yield(next) { pause(for: sink) }
    }

    func record(_ item: SinkItem, stream: Int) {
        while !replayLog.isEmpty, replayLog.count >= Self.replayLimit || replayBytes + item.message.readableBytes > Self.retainedBytesLimit {
            replayBytes -= replayLog.removeFirst().item.message.readableBytes
        }
        replayLog.append((stream, item))
        replayBytes += item.message.readableBytes
    }

    func item(_ bytes: [UInt8], final: Bool) -> SinkItem {
        item(ByteBuffer(bytes: bytes), final: final)
    }

    func item(_ buffer: ByteBuffer, final: Bool) -> SinkItem {
        defer { nextEventNumber += 1 }
        return SinkItem(eventID: "\(id.prefix(8))-\(nextEventNumber)", message: buffer, isFinal: final)
    }

    private static func eventNumber(_ eventID: String) -> Int? {
        eventID.split(separator: "-").last.flatMap { Int($0) }
    }

    var outstandingWork: [Task<Void, Never>] { driver.outstandingWork }
}
