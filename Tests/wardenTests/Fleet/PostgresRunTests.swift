import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WardenJSON
import WardenTesting

/// `warden run --store postgres://…`: the whole proxy on a real PostgreSQL, and what it does when the server goes.
@Suite("warden run on PostgreSQL", .serialized, .timeLimit(.minutes(2)))
struct PostgresRunTests {
    func status(_ url: String) async -> Int {
        guard let (_, response) = try? await URLSession.shared.data(from: URL(string: url)!) else { return 0 }
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test("a rate-limited call is counted in PostgreSQL; with the server gone /readyz is 503 and calls fail closed, then all resumes")
    func runOnPostgres() async throws {
        let server = try PostgresTestServer()
        defer { try? server.stop() }
        let url = try server.makeDatabase()
        let directory = try TemporaryDirectory()
        let policy = try directory.write(
            "policy.yaml",
            """
            version: 1
            default: allow
            rules:
              - name: two reads a minute
                tool: read_record
                rate_limit: {max: 2, window: 60s, per: global}
            """
        )
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", url, "--metrics", "0",
                "--", WardenExecutable.path, "demo-server",
            ],
            environment: ["HOME": directory.path],
            keeping: [directory]
        )
        try #require(proxy.waitForStandardError(containing: "metrics at http://127.0.0.1:"), "\(proxy.standardError)")
        let port = proxy.standardError.components(separatedBy: "metrics at http://127.0.0.1:").last?.prefix { $0.isNumber } ?? ""
        let readyz = "http://127.0.0.1:\(port)/readyz"
        _ = try proxy.request(id: 1, method: "initialize", params: ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"]])
        let call: JSONValue = ["name": "read_record", "arguments": ["id": "r-1"]]
        let first = try proxy.request(id: 2, method: "tools/call", params: call)
        #expect(first["result"]?["isError"] != true)
        #expect(await status(readyz) == 200)

        try server.stop()
        #expect(await status(readyz) == 503)
        let refused = try proxy.request(id: 3, method: "tools/call", params: call)
        let text = refused["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? refused.encodedString
        #expect(text.contains("unreachable") || text.contains("PostgreSQL"), "\(text)")
        #expect(!text.contains(PostgresTestServer.password))

        try server.start()
        var ready = false
        for _ in 0..<60 where !ready {
            ready = await status(readyz) == 200
            if !ready { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(ready)
        // The limit counted the first call in PostgreSQL: one more fits, the next does not.
        let second = try proxy.request(id: 4, method: "tools/call", params: call)
        #expect(second["result"]?["isError"] != true, "\(second.encodedString)")
        let third = try proxy.request(id: 5, method: "tools/call", params: call)
        #expect(third["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("two reads a minute") == true, "\(third.encodedString)")
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
    }
}
