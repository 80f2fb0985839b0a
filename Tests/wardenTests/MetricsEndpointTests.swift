import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WardenJSON
import WardenTesting

/// `warden run --metrics PORT`, scraped over loopback like Prometheus would.
@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    /// GETs a path and returns status and body.
    func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Sample lines of the text format, keyed by name and labels as written.
    func samples(_ exposition: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test("with --metrics-token-sha256, /metrics answers 401 without the token and 200 with it; health stays open")
    func metricsTokenIsRequired() async throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", "version: 1\n")
        // SHA-256 of "metrics-s3cret".
        let digest = "0cca0670623a414fdbb4bfa4459e2df00a1a41f95768bfb1c054cc4e6daf7c77"
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", "memory:", "--metrics", "0", "--metrics-token-sha256", digest,
                "--", WardenExecutable.path, "demo-server",
            ],
            keeping: [directory]
        )
        #expect(proxy.waitForStandardError(containing: "metrics at http://127.0.0.1:"))
        let portText = proxy.standardError.components(separatedBy: "metrics at http://127.0.0.1:").last?.prefix { $0.isNumber } ?? ""
        let url = URL(string: "http://127.0.0.1:\(portText)/metrics")!
        let (_, bare) = try await URLSession.shared.data(from: url)
        #expect((bare as? HTTPURLResponse)?.statusCode == 401)
        var request = URLRequest(url: url)
        request.setValue("Bearer metrics-s3cret", forHTTPHeaderField: "Authorization")
        let (_, authorized) = try await URLSession.shared.data(for: request)
        #expect((authorized as? HTTPURLResponse)?.statusCode == 200)
        let (status, _) = try await get("http://127.0.0.1:\(portText)/healthz")
        #expect(status == 200)
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
    }

    @Test("decisions are counted by server, tool and decision; health and readiness answer; unknown paths are 404")
    func scrapeCountsDecisions() async throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write(
            "policy.yaml",
            "version: 1\nhide: [delete_record]\nrules:\n  - name: legal hold\n    tool: write_record\n    when:\n      args.id: {starts_with: legal-}\n    action: deny\n"
        )
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", "memory:", "--metrics", "0", "--server-name", "demo",
                "--", WardenExecutable.path, "demo-server",
            ],
            keeping: [directory]
        )
        #expect(proxy.waitForStandardError(containing: "metrics at http://127.0.0.1:"))
        let log = proxy.standardError
        let portText = log.components(separatedBy: "metrics at http://127.0.0.1:").last?.prefix { $0.isNumber } ?? ""
        let base = "http://127.0.0.1:\(portText)"

        _ = try proxy.request(id: 1, method: "tools/list")
        _ = try proxy.request(id: 2, method: "tools/call", params: ["name": "echo", "arguments": ["text": "a"]])
        _ = try proxy.request(id: 3, method: "tools/call", params: ["name": "echo", "arguments": ["text": "b"]])
        _ = try proxy.request(id: 4, method: "tools/call", params: ["name": "write_record", "arguments": ["id": "legal-1", "value": "x"]])
        _ = try proxy.request(id: 5, method: "tools/call", params: ["name": "made_up_tool", "arguments": [:]])

        let (status, body) = try await get(base + "/metrics")
        #expect(status == 200)
        let values = samples(body)
        #expect(values[#"warden_tool_calls_total{server="demo",tool="echo",decision="allowed"}"#] == 2)
        #expect(values[#"warden_tool_calls_total{server="demo",tool="write_record",decision="denied"}"#] == 1)
        #expect(values[#"warden_tool_calls_total{server="demo",tool="delete_record",decision="hidden"}"#] == 1)
        // A tool the server's listing does not show is refused (Warden cannot check its definition), as (unlisted).
        #expect(values[#"warden_tool_calls_total{server="demo",tool="(unlisted)",decision="denied"}"#] == 1)
        #expect(values["warden_active_sessions"] == 1)
        #expect(values["warden_decision_duration_seconds_count"] == 4)
        #expect((values[#"warden_upstream_duration_seconds_count{server="demo",outcome="result"}"#] ?? 0) == 2)
        #expect(try await get(base + "/healthz").0 == 200)
        #expect(try await get(base + "/readyz").0 == 200)
        #expect(try await get(base + "/nothing-here").0 == 404)
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
    }
}
