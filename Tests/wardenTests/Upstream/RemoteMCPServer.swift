import Foundation
import Synchronization
import WardenJSON
import WardenTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal Streamable HTTP MCP server on 127.0.0.1 (port 0, read back): each POSTed request gets a JSON answer,
/// notifications get 202, and it offers no stream of its own. Enough to stand behind `warden run --upstream`.
final class RemoteMCPServer: Sendable {
    let port: Int
    private let listener: Int32
    private let closed = Atomic<Bool>(false)
    private let calls = Mutex<[String]>([])

    init() throws {
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
        // Ends when `deinit` shuts the listening socket down.
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    var url: String { "http://127.0.0.1:\(port)/mcp" }

    /// The names of the tools called so far, in order.
    var calledTools: [String] { calls.withLock { $0 } }

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

    /// Answers requests on one keep-alive connection until the client closes it.
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
        while true {
            var headerEnd: Int?
            while headerEnd == nil {
                headerEnd = buffer.indices.dropLast(3).first { buffer[$0..<($0 + 4)].elementsEqual(separator) }
                if headerEnd == nil, !readMore() { return }
            }
            let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self).components(separatedBy: "\r\n")
            let method = head[0].split(separator: " ").first.map(String.init) ?? ""
            var length = 0
            for line in head.dropFirst() where line.lowercased().hasPrefix("content-length:") {
                length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            let bodyStart = headerEnd! + 4
            while buffer.count - bodyStart < length {
                if !readMore() { return }
            }
            let body = String(decoding: buffer[bodyStart..<(bodyStart + length)], as: UTF8.self)
            buffer.removeSubrange(..<(bodyStart + length))
            write(connection, answer(method: method, body: body))
        }
    }

    private func answer(method: String, body: String) -> String {
        guard method == "POST" else { return response(status: method == "DELETE" ? "200 OK" : "405 Method Not Allowed", body: nil) }
        guard let message = try? JSONParser.parse(body), let id = message["id"], let name = message["method"]?.stringValue else {
            return response(status: "202 Accepted", body: nil)
        }
        let result: String
        switch name {
        case "initialize":
            result = #"{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"remote","version":"1"}}"#
        case "tools/list":
            result = #"{"tools":[{"name":"echo","inputSchema":{"type":"object"}},{"name":"wipe","inputSchema":{"type":"object"}}]}"#
        case "tools/call":
            calls.withLock { $0.append(message["params"]?["name"]?.stringValue ?? "") }
            result = #"{"content":[{"type":"text","text":"done"}]}"#
        default:
            result = "{}"
        }
        return response(status: "200 OK", body: #"{"jsonrpc":"2.0","id":\#(id.encodedString),"result":\#(result)}"#)
    }

    private func response(status: String, body: String?) -> String {
        let bytes = body.map { Array($0.utf8) } ?? []
        let type = body == nil ? "" : "Content-Type: application/json\r\n"
        let session = "Mcp-Session-Id: remote-1\r\n"
        return "HTTP/1.1 \(status)\r\n\(type)\(session)Content-Length: \(bytes.count)\r\n\r\n" + (body ?? "")
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
