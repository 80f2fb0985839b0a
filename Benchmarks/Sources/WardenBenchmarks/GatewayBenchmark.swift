import Foundation
import WardenProxy

/// tools/call through `warden serve`: latency one call at a time and throughput with several connections, each to
/// a gateway fronting the demo server directly and to a second gateway in front of that one, so the difference is
/// what one gateway hop adds.
enum GatewayBenchmark {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A running `warden serve`, stopped with SIGTERM.
    final class Served {
        let child: ChildProcess
        let port: Int

        init(warden: String, config: String, directory: URL, name: String) throws {
            let path = directory.appendingPathComponent("\(name).yaml").path
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            child = try ChildProcess.spawn(
                [warden, "serve", "--config", path, "--listen", "127.0.0.1:0", "--log-level", "error"],
                capturingStandardError: true
            )
            var reader = LineReader(descriptor: child.stderrReader!)
            var found: Int?
            while found == nil, let line = try reader.nextLine(timeoutMilliseconds: 30_000) {
                let text = String(decoding: line, as: UTF8.self)
                if let range = text.range(of: "serving on 127.0.0.1:") { found = Int(text[range.upperBound...].prefix { $0.isNumber }) }
            }
            guard let found else { throw Failure(description: "warden serve (\(name)) did not start") }
            port = found
            // Keep reading its stderr, so a chatty process never blocks on a full pipe; the log is kept for a look.
            let logPath = directory.appendingPathComponent("\(name).log").path
            let descriptor = child.stderrReader!
            Thread.detachNewThread {
                let log = FileHandle(forWritingAtPath: logPath) ?? {
                    FileManager.default.createFile(atPath: logPath, contents: nil)
                    return FileHandle(forWritingAtPath: logPath)
                }()
                var chunk = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = read(descriptor, &chunk, chunk.count)
                    if count <= 0 { break }
                    log?.write(Data(chunk[..<count]))
                }
            }
        }

        func stop() {
            child.signal(SIGTERM)
            _ = child.waitForExit()
        }

        /// Resident memory of the gateway process itself (not its upstream children), in MiB.
        var residentMiB: Double {
            guard let status = try? String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
            else { return .nan }
            return kilobytes / 1024
        }
    }

    /// One keep-alive HTTP/1.1 connection, blocking, with just enough parsing for the gateway's JSON answers.
    final class Connection {
        let socket: CInt
        var buffer: [UInt8] = []

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var one: CInt = 1
            setsockopt(socket, CInt(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<CInt>.size))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw Failure(description: "cannot connect to 127.0.0.1:\(port)") }
        }

        deinit { close(socket) }

        func post(_ path: String, headers: [String: String], body: String) throws -> (status: Int, headers: [String: String], body: [UInt8]) {
            var request = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
            for (name, value) in headers { request += "\(name): \(value)\r\n" }
            request += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            let bytes = Array(request.utf8)
            guard writeAll(bytes, to: socket) else { throw Failure(description: "the connection closed") }
            // Head, then a body of Content-Length bytes.
            var headEnd: Int?
            while headEnd == nil {
                if let index = find([13, 10, 13, 10], in: buffer) { headEnd = index } else { try fill() }
            }
            let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
            buffer.removeFirst(headEnd! + 4)
            var lines = head.split(separator: "\r\n")
            let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
            var fields: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(fields["content-length"] ?? "0") ?? 0
            while buffer.count < length { try fill() }
            let answer = Array(buffer[..<length])
            buffer.removeFirst(length)
            return (status, fields, answer)
        }

        private func fill() throws {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(socket, &chunk, chunk.count, 0)
            guard count > 0 else { throw Failure(description: "the gateway closed the connection") }
            buffer.append(contentsOf: chunk[..<count])
        }

        private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
                if Array(haystack[index..<(index + needle.count)]) == needle { return index }
            }
            return nil
        }
    }

    static let call = #"{"jsonrpc":"2.0","id":ID,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello from the benchmark"}}}"#

    /// Opens a session at `path` and returns its id.
    static func openSession(port: Int, path: String) throws -> String {
        let connection = try Connection(port: port)
        let initialize = #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}"#
        let opened = try connection.post(path, headers: [:], body: initialize)
        guard opened.status == 200, let session = opened.headers["mcp-session-id"] else {
            throw Failure(description: "initialize failed: HTTP \(opened.status) \(String(decoding: opened.body, as: UTF8.self))")
        }
        _ = try connection.post(path, headers: ["Mcp-Session-Id": session], body: #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        return session
    }

    static func latency(port: Int, path: String, calls: Int, warmup: Int = 300) throws -> Statistics {
        let session = try openSession(port: port, path: path)
        let connection = try Connection(port: port)
        var samples: [Double] = []
        samples.reserveCapacity(calls)
        for id in 1...(warmup + calls) {
            let start = monotonicNanoseconds()
            let answer = try connection.post(path, headers: ["Mcp-Session-Id": session], body: call.replacingOccurrences(of: "ID", with: "\(id)"))
            guard answer.status == 200 else { throw Failure(description: "tools/call failed: HTTP \(answer.status)") }
            if id > warmup { samples.append(Double(monotonicNanoseconds() - start)) }
        }
        return Statistics(samples)
    }

    /// Calls per second with `connections` clients calling back to back for `seconds`.
    static func throughput(port: Int, path: String, connections: Int, seconds: Double) throws -> Double {
        let session = try openSession(port: port, path: path)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: connections)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let deadline = monotonicNanoseconds() + UInt64(seconds * 1e9)
        let group = DispatchGroup()
        nonisolated(unsafe) let shared = counts
        for worker in 0..<connections {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                guard let connection = try? Connection(port: port) else { return }
                var id = worker * 10_000_000
                while monotonicNanoseconds() < deadline {
                    id += 1
                    guard let answer = try? connection.post(path, headers: ["Mcp-Session-Id": session], body: call.replacingOccurrences(of: "ID", with: "\(id)")),
                        answer.status == 200
                    else { return }
                    shared[worker] += 1
                }
            }
        }
        group.wait()
        return Double(counts.reduce(0, +)) / seconds
    }

    /// `warden serve` in front of the demo server, allowing everything, with the store, audit and sharing given.
    static func demoGateway(warden: String, directory: URL, name: String, store: String = "memory:", audit: Bool = false, shared: Bool = false) throws -> Served {
        try Served(
            warden: warden,
            config: """
                store: "\(store)"
                audit: \(audit)
                servers:
                  demo:
                    command: [\(warden), demo-server]
                    upstream: \(shared ? "shared" : "per_session")
                    policy: {version: 1, default: allow}
                """,
            directory: directory,
            name: name
        )
    }

    static func run(warden: String, directory: URL, calls: Int) throws {
        let inner = try demoGateway(warden: warden, directory: directory, name: "inner")
        defer { inner.stop() }
        let outer = try Served(
            warden: warden,
            config: """
                store: "memory:"
                audit: false
                servers:
                  demo:
                    url: http://127.0.0.1:\(inner.port)/mcp/demo
                    policy:
                      version: 1
                      default: allow
                      hide: [delete_record]
                      rules:
                        - name: exports go to the approved bucket only
                          tool: start_export_job
                          when:
                            args.destination_uri: {not_starts_with: "s3://approved/"}
                          action: deny
                """,
            directory: directory,
            name: "outer"
        )
        defer { outer.stop() }

        say("\ntools/call over Streamable HTTP (\(calls) calls after warm-up, one at a time, JSON answers)")
        let direct = try latency(port: inner.port, path: "/mcp/demo", calls: calls)
        say("  gateway in front of the demo server:      median \(formatNanoseconds(direct.median)), p99 \(formatNanoseconds(direct.p99))")
        let twoHops = try latency(port: outer.port, path: "/mcp/demo", calls: calls)
        say("  a second gateway in front of that one:    median \(formatNanoseconds(twoHops.median)), p99 \(formatNanoseconds(twoHops.p99))")
        say("    added by one gateway hop (HTTP in, policy, HTTP out): median \(formatNanoseconds(twoHops.median - direct.median))")
        // The same with the audit trail on (the default): each decision goes to the journal before the call goes on.
        let audited = try demoGateway(
            warden: warden,
            directory: directory,
            name: "audited",
            store: "sqlite:" + directory.appendingPathComponent("audited.db").path,
            audit: true
        )
        let withAudit = try latency(port: audited.port, path: "/mcp/demo", calls: calls)
        audited.stop()
        say("  the first gateway with its audit trail on: median \(formatNanoseconds(withAudit.median)), p99 \(formatNanoseconds(withAudit.p99))")
        for connections in [1, 8, 32] {
            let rate = try throughput(port: inner.port, path: "/mcp/demo", connections: connections, seconds: 3)
            say("  throughput, \(connections) connection(s), one gateway: \(Int(rate)) tools/call per second")
        }

        // Memory: a gateway whose sessions share one upstream process, so only the gateway's own cost grows.
        let shared = try demoGateway(warden: warden, directory: directory, name: "shared", shared: true)
        defer { shared.stop() }
        Thread.sleep(forTimeInterval: 0.5)
        let idle = shared.residentMiB
        for _ in 0..<1_000 { _ = try openSession(port: shared.port, path: "/mcp/demo") }
        Thread.sleep(forTimeInterval: 0.5)
        say("\nGateway memory (resident, the gateway process alone)")
        say("  idle: \(String(format: "%.1f", idle)) MiB; with 1,000 open sessions: \(String(format: "%.1f", shared.residentMiB)) MiB")
    }
}

/// A line to standard output at once, so a long run shows its progress even through a pipe.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
