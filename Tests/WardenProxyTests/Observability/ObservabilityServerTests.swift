import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Synchronization
import Testing
import WardenProxy

@Suite("Observability HTTP endpoint")
struct ObservabilityServerTests {
    /// Starts a server on an ephemeral loopback port, runs `body`, and always shuts it down.
    func withServer(
        metrics: WardenMetrics = WardenMetrics(),
        isReady: @escaping @Sendable () -> Bool = { true },
        configuration: ObservabilityServer.Configuration = .init(),
        _ body: (ObservabilityServer) async throws -> Void
    ) async throws {
        let server = try await ObservabilityServer.start(port: 0, metrics: metrics, isReady: isReady, configuration: configuration)
        do {
            try await body(server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test("port 0 binds an ephemeral port that is read back, and a real HTTP client scrapes the recorded counters there")
    func scrapeWithURLSession() async throws {
        let metrics = WardenMetrics()
        metrics.recordDecision(server: "files", tool: "read_file", toolIsListed: true, decision: "allowed", duration: .microseconds(4))
        metrics.recordDecision(server: "files", tool: "read_file", toolIsListed: true, decision: "allowed", duration: .microseconds(4))
        metrics.recordDecision(server: "files", tool: "rm -rf /", toolIsListed: false, decision: "denied", duration: .microseconds(9))
        metrics.sessionOpened()
        try await withServer(metrics: metrics) { server in
            #expect(server.port > 0)
            let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/metrics"))
            let (data, response) = try await URLSession.shared.data(from: url)
            let http = try #require(response as? HTTPURLResponse)
            #expect(http.statusCode == 200)
            #expect(http.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = try PrometheusText(String(decoding: data, as: UTF8.self))
            #expect(text.value("warden_tool_calls_total", ["server": "files", "tool": "read_file", "decision": "allowed"]) == 2)
            #expect(text.value("warden_tool_calls_total", ["server": "files", "tool": "(unlisted)", "decision": "denied"]) == 1)
            #expect(text.value("warden_decision_duration_seconds_count") == 3)
            #expect(text.value("warden_active_sessions") == 1)
        }
    }

    @Test("each scrape shows the counts as they are at that moment")
    func scrapesSeeNewCounts() async throws {
        let metrics = WardenMetrics()
        try await withServer(metrics: metrics) { server in
            let client = try RawHTTPClient(port: server.port)
            let before = try PrometheusText(client.request("GET", "/metrics").body)
            #expect(before.samples(named: "warden_tool_calls_total").isEmpty)
            metrics.recordDecision(server: "s", tool: "t", toolIsListed: true, decision: "denied", duration: nil)
            let after = try PrometheusText(client.request("GET", "/metrics").body)
            #expect(after.value("warden_tool_calls_total", ["server": "s", "tool": "t", "decision": "denied"]) == 1)
        }
    }

    @Test("/healthz says ok, and several requests share one kept-alive connection")
    func healthOnKeptAliveConnection() async throws {
        try await withServer { server in
            let client = try RawHTTPClient(port: server.port)
            for _ in 0..<3 {
                let response = try client.request("GET", "/healthz")
                #expect(response.status == 200)
                #expect(response.body == "ok\n")
            }
        }
    }

    @Test("/readyz answers 200 while ready and 503 while not, asking at every request")
    func readiness() async throws {
        let ready = Atomic<Bool>(false)
        let isReady: @Sendable () -> Bool = { ready.load(ordering: .relaxed) }
        try await withServer(isReady: isReady) { server in
            let client = try RawHTTPClient(port: server.port)
            let notReady = try client.request("GET", "/readyz")
            #expect(notReady.status == 503)
            #expect(notReady.body == "not ready\n")
            ready.store(true, ordering: .relaxed)
            let nowReady = try client.request("GET", "/readyz")
            #expect(nowReady.status == 200)
            #expect(nowReady.body == "ready\n")
        }
    }

    @Test("unknown paths are 404; a query string does not change the path")
    func notFound() async throws {
        try await withServer { server in
            let client = try RawHTTPClient(port: server.port)
            #expect(try client.request("GET", "/metrics/extra").status == 404)
            #expect(try client.request("GET", "/").status == 404)
            #expect(try client.request("GET", "/healthz?verbose=1").status == 200)
        }
    }

    @Test("methods other than GET and HEAD are 405 with an Allow header; HEAD gets the headers without the body")
    func methodNotAllowed() async throws {
        try await withServer { server in
            let client = try RawHTTPClient(port: server.port)
            for method in ["POST", "PUT", "DELETE"] {
                try client.send("\(method) /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                let response = try client.readResponse()
                #expect(response.status == 405, "\(method)")
                #expect(response.headers["allow"] == "GET, HEAD")
            }
            let head = try client.request("HEAD", "/healthz")
            #expect(head.status == 200)
            #expect(head.headers["content-length"] == "3")
            #expect(try client.request("GET", "/healthz").body == "ok\n")  // nothing of a HEAD body was left on the wire
        }
    }

    @Test("garbage bytes get a 400 and a closed connection, and the server keeps answering others")
    func garbageDoesNotKillTheServer() async throws {
        try await withServer { server in
            let garbage: [[UInt8]] = [
                Array("\u{0}\u{1}\u{2}not http at all\r\n\r\n".utf8),
                Array("GET /metrics HTTP/9.9 extra\r\n\r\n".utf8),
                Array("GET /healthz HTTP/1.1\r\nContent-Length: nope\r\n\r\n".utf8),
                (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 31) },
            ]
            for bytes in garbage {
                let client = try RawHTTPClient(port: server.port)
                try client.send(bytes)
                let answer = try client.readUntilClosed()
                #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer)")
            }
            let client = try RawHTTPClient(port: server.port)
            #expect(try client.request("GET", "/healthz").status == 200)
        }
    }

    @Test("a request past the header or body limit is refused and its connection closed")
    func requestSizeIsBounded() async throws {
        var configuration = ObservabilityServer.Configuration()
        configuration.maxHeaderSize = 1024
        configuration.maxBodySize = 100
        try await withServer(configuration: configuration) { server in
            let bigHeader = try RawHTTPClient(port: server.port)
            try bigHeader.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: \(String(repeating: "a", count: 4096))\r\n\r\n")
            let headerAnswer = try bigHeader.readUntilClosed()
            #expect(headerAnswer.hasPrefix("HTTP/1.1 4"), "\(headerAnswer)")
            #expect(!headerAnswer.contains("ok\n"))

            let bigBody = try RawHTTPClient(port: server.port)
            try bigBody.send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "b", count: 1000))
            let bodyAnswer = try bigBody.readResponse()
            #expect(bodyAnswer.status == 413)
            #expect(try bigBody.isClosedByPeer())

            #expect(try RawHTTPClient(port: server.port).request("GET", "/healthz").status == 200)
        }
    }

    @Test("connections past the limit are closed at once, and a freed slot is taken again")
    func connectionLimit() async throws {
        var configuration = ObservabilityServer.Configuration()
        configuration.maxConnections = 2
        try await withServer(configuration: configuration) { server in
            let first = try RawHTTPClient(port: server.port)
            let second = try RawHTTPClient(port: server.port)
            #expect(try first.request("GET", "/healthz").status == 200)
            #expect(try second.request("GET", "/healthz").status == 200)
            let third = try RawHTTPClient(port: server.port)
            try? third.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try third.readUntilClosed().isEmpty)
            #expect(try first.request("GET", "/healthz", headers: ["Connection": "close"]).status == 200)
            #expect(try first.isClosedByPeer())
            // The slot comes back when the server has seen the close, which no event tells the client: retry until then.
            var status = 0
            for _ in 0..<1_000 where status != 200 {
                let next = try RawHTTPClient(port: server.port)
                try? next.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                status = (try? next.readResponse().status) ?? 0
            }
            #expect(status == 200)
        }
    }

    @Test("a connection that stays silent past the idle timeout is closed by the server")
    func idleConnectionsAreClosed() async throws {
        var configuration = ObservabilityServer.Configuration()
        configuration.idleTimeout = .milliseconds(50)
        try await withServer(configuration: configuration) { server in
            let client = try RawHTTPClient(port: server.port)
            #expect(try client.request("GET", "/healthz").status == 200)
            #expect(try client.readUntilClosed().isEmpty)  // returns when the server closes; a hang would fail on the read timeout
        }
    }

    @Test("starting on a port that is already taken throws instead of serving nothing")
    func portInUse() async throws {
        try await withServer { server in
            await #expect(throws: (any Error).self) {
                let second = try await ObservabilityServer.start(port: server.port, metrics: WardenMetrics())
                await second.shutdown()
            }
        }
    }

    @Test("shutdown closes the connections still open, and a second shutdown is harmless")
    func shutdownClosesConnections() async throws {
        let server = try await ObservabilityServer.start(port: 0, metrics: WardenMetrics())
        let client = try RawHTTPClient(port: server.port)
        #expect(try client.request("GET", "/healthz").status == 200)
        await server.shutdown()
        // Whether the port now refuses is not checked: a test running in parallel may already have been given it.
        #expect(try client.readUntilClosed().isEmpty)
        await server.shutdown()
    }

    @Test("two servers run side by side, each serving its own metrics")
    func twoServers() async throws {
        let first = WardenMetrics()
        let second = WardenMetrics()
        first.upstreamRestarted(server: "one")
        second.upstreamRestarted(server: "two")
        try await withServer(metrics: first) { one in
            try await withServer(metrics: second) { two in
                #expect(one.port != two.port)
                let a = try PrometheusText(RawHTTPClient(port: one.port).request("GET", "/metrics").body)
                let b = try PrometheusText(RawHTTPClient(port: two.port).request("GET", "/metrics").body)
                #expect(a.value("warden_upstream_restarts_total", ["server": "one"]) == 1)
                #expect(a.value("warden_upstream_restarts_total", ["server": "two"]) == nil)
                #expect(b.value("warden_upstream_restarts_total", ["server": "two"]) == 1)
            }
        }
    }
}
