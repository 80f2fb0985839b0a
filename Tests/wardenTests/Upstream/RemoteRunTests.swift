import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Testing
import WardenJSON
import WardenProxy
import WardenTesting

/// `warden run --upstream URL`: the same session as with a child, so the same metrics and status listing.
@Suite("warden run in front of a remote server")
struct RemoteRunTests {
    @Test("with --upstream, --metrics serves /metrics counting decisions and warden status lists the running instance")
    func metricsAndStatusWithARemoteUpstream() async throws {
        let remote = try RemoteMCPServer()
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", "version: 1\nrules:\n  - name: no wiping\n    tool: wipe\n    action: deny\n")
        let store = "sqlite:\(directory.path)/warden.db"
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", store, "--metrics", "0", "--server-name", "remote",
                "--upstream", remote.url,
            ],
            keeping: [directory, remote]
        )
        #expect(proxy.waitForStandardError(containing: "metrics at http://127.0.0.1:"))
        let portText = proxy.standardError.components(separatedBy: "metrics at http://127.0.0.1:").last?.prefix { $0.isNumber } ?? ""

        let initialize = try proxy.request(id: 1, method: "initialize", params: ["protocolVersion": "2025-06-18", "capabilities": [:]])
        #expect(initialize["result"]?["serverInfo"]?["name"] == "remote")
        // Tools the server listed are metric labels by name.
        _ = try proxy.request(id: 9, method: "tools/list")
        let allowed = try proxy.request(id: 2, method: "tools/call", params: ["name": "echo", "arguments": [:]])
        #expect(allowed["result"] != nil)
        let denied = try proxy.request(id: 3, method: "tools/call", params: ["name": "wipe", "arguments": [:]])
        #expect(denied["result"]?["isError"] == true || denied["error"] != nil)
        #expect(remote.calledTools == ["echo"])

        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(portText)/metrics")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let body = String(decoding: data, as: UTF8.self)
        #expect(body.contains(#"warden_tool_calls_total{server="remote",tool="echo",decision="allowed"} 1"#))
        #expect(body.contains(#"warden_tool_calls_total{server="remote",tool="wipe",decision="denied"} 1"#))
        #expect(body.contains("warden_active_sessions 1"))

        let status = try RunningProcess([WardenExecutable.path, "status", "--json", "--store", store])
        let live = try JSONParser.parse(try status.readLine() ?? "")
        #expect(try status.waitForExit() == 0)
        let instance = live["instances"]?.arrayValue?.first
        #expect(instance?["pid"]?.numberValue == Double(proxy.child.pid))
        #expect(instance?["server"] == "remote")

        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
    }

    @Test("SIGTERM finishes a session with a remote server: Warden exits 0 and leaves the warden status listing")
    func signalFinishesARemoteSession() throws {
        let remote = try RemoteMCPServer()
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", "version: 1\nrules: []\n")
        let store = "sqlite:\(directory.path)/warden.db"
        let proxy = try RunningProcess(
            [WardenExecutable.path, "run", "--policy", policy, "--store", store, "--upstream", remote.url],
            keeping: [directory, remote]
        )
        let initialize = try proxy.request(id: 1, method: "initialize", params: ["protocolVersion": "2025-06-18", "capabilities": [:]])
        #expect(initialize["result"] != nil)

        proxy.child.signal(SIGTERM)
        #expect(try proxy.waitForExit() == 0)
        let status = try RunningProcess([WardenExecutable.path, "status", "--json", "--store", store])
        let listing = try JSONParser.parse(try status.readLine() ?? "")
        #expect(try status.waitForExit() == 0)
        #expect(listing["instances"]?.arrayValue?.isEmpty == true)
    }
}
