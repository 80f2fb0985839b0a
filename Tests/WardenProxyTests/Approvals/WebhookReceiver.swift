import Foundation
import Synchronization
import WardenJSON
import WardenTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 endpoint on 127.0.0.1 (port 0, read back) that records each request and answers with a scripted
/// status, or holds its answers until released, so a test sees exactly what a webhook receives and when.
final class WebhookReceiver: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header names in lowercase.
        var headers: [String: String]
        var body: [UInt8]

        var json: JSONValue? { try? JSONParser.parse(String(decoding: body, as: UTF8.self)) }
    }

    private struct State {
        var statuses: [Int]
        var otherwise: Int
        var isHolding: Bool
        var isClosed = false
        var requests: [Request] = []
    }

    let port: Int
    /// Each request as it arrives, before it is answered.
    let arrivals: AsyncStream<Request>
    private let arrived: AsyncStream<Request>.Continuation
    private let listener: Int32
    private let state: Mutex<State>
    private let released = NSCondition()

    /// - Parameters:
    ///   - statuses: the statuses of the first answers, in order; after them every answer is `otherwise`.
    ///   - holdingAnswers: answer nothing until `release()`.
    init(statuses: [Int] = [], otherwise: Int = 200, holdingAnswers: Bool = false) throws {
        state = Mutex(State(statuses: statuses, otherwise: otherwise, isHolding: holdingAnswers))
        (arrivals, arrived) = AsyncStream.makeStream(of: Request.self)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 64) == 0 else { throw ReceiverError("cannot listen: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        // Ends when `close()` shuts the listening socket down.
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit {
        close()
        // Only here: closed earlier, the descriptor could be reused by another test's socket while the accept loop
        // still uses it.
        Glibc.close(listener)
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/hook")! }

    /// Every request so far, in arrival order.
    var requests: [Request] { state.withLock { $0.requests } }

    /// Lets held answers (and all later ones) go out.
    func release() {
        released.lock()
        state.withLock { $0.isHolding = false }
        released.broadcast()
        released.unlock()
    }

    /// Stops accepting connections and releases held answers.
    func close() {
        release()
        arrived.finish()
        guard
            state.withLock({ state in
                defer { state.isClosed = true }; return !state.isClosed
            })
        else { return }
        // Wakes the accept loop and stops listening: later connections are refused.
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer { Glibc.close(connection) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        func readMore() -> Bool {
            let count = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            guard count > 0 else { return false }
            buffer += chunk[..<count]
            return true
        }
        let separator = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = buffer.indices.dropLast(3).first { buffer[$0..<($0 + 4)].elementsEqual(separator) }
            if headerEnd == nil, !readMore() { return }
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" { write(connection, "HTTP/1.1 100 Continue\r\n\r\n") }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headerEnd! + 4
        while buffer.count - bodyStart < length {
            if !readMore() { return }
        }
        let request = Request(
            method: requestLine.first.map(String.init) ?? "",
            path: requestLine.dropFirst().first.map(String.init) ?? "",
            headers: headers,
            body: Array(buffer[bodyStart..<(bodyStart + length)])
        )
        let status = state.withLock { state in
            state.requests.append(request)
            return state.statuses.isEmpty ? state.otherwise : state.statuses.removeFirst()
        }
        arrived.yield(request)
        released.lock()
        while state.withLock({ $0.isHolding }) { released.wait() }
        released.unlock()
        write(connection, "HTTP/1.1 \(status) Scripted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    private func write(_ connection: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
    }
}
