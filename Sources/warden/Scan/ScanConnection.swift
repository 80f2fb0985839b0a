import NIOCore
import Synchronization
import WardenJSON
import WardenMCP
import WardenProxy

/// One connection to a server under scan: sends requests, waits a bounded time for each answer, and answers what
/// the server asks on its own (`ping` with an empty result, anything else as unknown), so the server never waits.
///
/// It is the events side of an `UpstreamLink` (a child over stdio or a remote server over HTTP), so a scan speaks
/// through the same transports `warden run` and the gateway use.
final class ScanConnection: UpstreamEvents, Sendable {
    /// What a request came back with: a result, or the server's JSON-RPC error.
    enum Answer: Sendable, Equatable {
        case result(JSONValue)
        case error(code: Int, message: String)
    }

    private struct Waiter {
        var method: String
        var continuation: CheckedContinuation<Result<Answer, ScanError>, Never>
    }

    private struct State {
        var link: (any UpstreamLink)?
        var nextID = 1
        var waiting: [Int: Waiter] = [:]
        /// Why the link closed, once it has.
        var closedReason: String?
    }

    let loop: any EventLoop
    private let timeout: Duration
    private let state = Mutex(State())

    init(loop: any EventLoop, timeout: Duration) {
        self.loop = loop
        self.timeout = timeout
    }

    /// Connects the link the requests go through; called once, right after it was made with `self` as its events.
    func attach(_ link: any UpstreamLink) {
        state.withLock { $0.link = link }
    }

    /// Sends a request and waits at most the timeout for its answer.
    func request(_ method: String, params: JSONValue?) async throws(ScanError) -> Answer {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Answer, ScanError>, Never>) in
            let started = state.withLock { state -> Result<(Int, any UpstreamLink), ScanError> in
                if let reason = state.closedReason {
                    return .failure(ScanError(.closed, "the server \(reason) before it answered \(method)"))
                }
                guard let link = state.link else { return .failure(ScanError(.closed, "the server is not connected")) }
                let id = state.nextID
                state.nextID += 1
                state.waiting[id] = Waiter(method: method, continuation: continuation)
                return .success((id, link))
            }
            switch started {
            case .failure(let error):
                continuation.resume(returning: .failure(error))
            case .success(let (id, link)):
                let message = ByteBuffer(bytes: JSONRPCMessage.request(id: .number(JSONNumber(id)), method: method, params: params))
                let seconds = timeout.formatted
                loop.execute { link.send(message) }
                // Fires once; an answer that came first has removed the waiter, and then this does nothing.
                loop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                    self.resolve(id, .failure(ScanError(.timedOut, "the server did not answer \(method) within \(seconds) (--timeout)")))
                }
            }
        }
        return try result.get()
    }

    /// Sends a notification; nothing comes back.
    func notify(_ method: String, params: JSONValue?) {
        guard let link = state.withLock({ $0.closedReason == nil ? $0.link : nil }) else { return }
        let message = ByteBuffer(bytes: JSONRPCMessage.notification(method: method, params: params))
        loop.execute { link.send(message) }
    }

    private func resolve(_ id: Int, _ outcome: Result<Answer, ScanError>) {
        let waiter = state.withLock { $0.waiting.removeValue(forKey: id) }
        waiter?.continuation.resume(returning: outcome)
    }

    // MARK: UpstreamEvents

    func upstreamMessage(_ frame: FramedMessage) {
        switch frame {
        case .oversized(let byteCount, _):
            failAll { method in
                ScanError(.malformed, "the server sent a message of \(byteCount) bytes while answering \(method), more than a scan reads")
            }
        case .message(let buffer):
            guard let message = buffer.withUnsafeReadableBytes({ try? JSONParser.parse($0, maxDepth: MessageInspector.maxDepth) }),
                case .object(let object) = message
            else { return }
            if let method = object["method"]?.stringValue {
                if let id = object["id"] { answerServer(method: method, id: id) }
                return  // A notification (progress, log, list changed) needs nothing.
            }
            guard let id = object["id"]?.numberValue, let key = Int(exactly: id) else { return }
            if let error = object["error"] {
                let code = error["code"]?.numberValue.flatMap { Int(exactly: $0) } ?? 0
                resolve(key, .success(.error(code: code, message: error["message"]?.stringValue ?? "no message")))
            } else {
                resolve(key, .success(.result(object["result"] ?? .null)))
            }
        }
    }

    func upstreamClosed(reason: String) {
        // A child's stdout closing and its exit race; the scan waits for the exit before it reports either, so both
        // read "exited", and the exit status follows.
        let said = reason.hasPrefix("the upstream process ") ? "exited" : "closed the connection (\(reason))"
        state.withLock { $0.closedReason = $0.closedReason ?? said }
        failAll { method in ScanError(.closed, "the server \(self.closedReasonText) before it answered \(method)") }
    }

    private var closedReasonText: String { state.withLock { $0.closedReason } ?? "closed" }

    /// A request from the server: `ping` is answered, anything else (roots, sampling, elicitation) is refused as
    /// unknown, since a scan offers no capabilities.
    private func answerServer(method: String, id: JSONValue) {
        guard let link = state.withLock({ $0.link }), let id = JSONRPCID(id) else { return }
        let answer =
            method == "ping"
            ? JSONRPCMessage.result(id: id, result: .object([:]))
            : JSONRPCMessage.error(id: id, code: JSONRPCErrorCode.methodNotFound, message: "warden scan does not offer \(method)")
        link.send(ByteBuffer(bytes: answer))
    }

    private func failAll(_ error: (String) -> ScanError) {
        let waiters = state.withLock { state in
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for waiter in waiters { waiter.continuation.resume(returning: .failure(error(waiter.method))) }
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount`.
    fileprivate var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// `30 s`, `0.5 s`.
    fileprivate var formatted: String {
        let seconds = Double(nanoseconds) / 1e9
        return seconds == seconds.rounded() ? "\(Int64(seconds)) s" : "\(seconds) s"
    }
}
