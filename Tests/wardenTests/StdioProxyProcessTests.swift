import Foundation
import Testing
import WardenJSON
import WardenProxy
import WardenTesting

/// `warden run` as a user runs it: a real child process, real pipes, real signals.
@Suite("warden run, end to end")
struct StdioProxyProcessTests {
    static let policy = """
        version: 1
        default: allow
        hide: [delete_record]
        rules:
          - name: legal hold
            tool: write_record
            when:
              args.id: {starts_with: "legal-"}
            action: deny
            reason: Records under legal hold cannot be changed
        """

    func startProxy(policy: String = Self.policy, upstream: [String]? = nil, extra: [String] = []) throws -> RunningProcess {
        let directory = try TemporaryDirectory()
        let policyPath = try directory.write("policy.yaml", policy)
        let server = upstream ?? [WardenExecutable.path, "demo-server", "--log-calls"]
        return try RunningProcess([WardenExecutable.path, "run", "--policy", policyPath] + extra + ["--"] + server, keeping: [directory])
    }

    func initialize(_ process: RunningProcess) throws {
        let answer = try process.request(
            id: 0,
            method: "initialize",
            params: ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "tests", "version": "1"]]
        )
        #expect(answer["result"]?["protocolVersion"] == "2025-11-25")
        process.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
    }

    @Test("an allowed call reaches the server and a denied one never does")
    func deniedCallNeverReachesServer() throws {
        let proxy = try startProxy()
        try initialize(proxy)
        let denied = try proxy.request(
            id: 1,
            method: "tools/call",
            params: ["name": "write_record", "arguments": ["id": "legal-1", "value": "x"]]
        )
        #expect(denied["result"]?["isError"] == true)
        let allowed = try proxy.request(id: 2, method: "tools/call", params: ["name": "write_record", "arguments": ["id": "r-1", "value": "x"]])
        #expect(allowed["result"]?["isError"] != true)
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
        let log = proxy.standardError
        #expect(log.contains("called write_record"))
        #expect(log.components(separatedBy: "called write_record").count == 2, "the server saw exactly one write_record: \(log)")
    }

    @Test("hidden tools are gone from every page of a paginated tools/list")
    func hiddenAcrossPages() throws {
        let proxy = try startProxy(upstream: [WardenExecutable.path, "demo-server", "--page-size", "2"])
        try initialize(proxy)
        var names: [String] = []
        var cursor: JSONValue? = nil
        var id = 10
        repeat {
            let params: JSONValue = cursor.map { ["cursor": $0] } ?? [:]
            let page = try proxy.request(id: id, method: "tools/list", params: params)
            id += 1
            names += page["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            cursor = page["result"]?["nextCursor"]
        } while cursor != nil && cursor != .null && id < 30
        #expect(names.contains("read_record"))
        #expect(names.contains("write_record"))
        #expect(!names.contains("delete_record"))
        #expect(names.count >= 5)
    }

    @Test("garbage on stdin gets a JSON-RPC error and the proxy keeps serving")
    func survivesGarbage() throws {
        let proxy = try startProxy()
        try initialize(proxy)
        proxy.send("this is not json")
        #expect(try proxy.readMessage()["error"]?["code"] == -32700)
        proxy.send(String(repeating: "[", count: 100_000))
        #expect(try proxy.readMessage()["error"]?["code"] == -32700)
        let pong = try proxy.request(id: 5, method: "ping")
        #expect(pong["result"] != nil)
    }

    @Test("a message over the size limit is refused and the proxy keeps serving")
    func refusesOversized() throws {
        let proxy = try startProxy(extra: ["--max-message-size", "4096"])
        try initialize(proxy)
        let big = String(repeating: "a", count: 10_000)
        proxy.send(#"{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"name":"echo","arguments":{"text":"\#(big)"}}}"#)
        let refusal = try proxy.readMessage()
        #expect(refusal["id"] == "big")
        #expect(refusal["error"]?["code"] == -32600)
        let pong = try proxy.request(id: 6, method: "ping")
        #expect(pong["result"] != nil)
    }

    @Test("an upstream that dies fails the request in flight instead of hanging, and Warden exits with its status")
    func deadUpstreamFailsRequests() throws {
        // A server that reads one line and exits with status 3 without answering.
        let proxy = try startProxy(upstream: ["/bin/sh", "-c", "read line; exit 3"])
        proxy.send(#"{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"read_record","arguments":{"id":"a"}}}"#)
        let failure = try proxy.readMessage()
        #expect(failure["id"] == 41)
        #expect(failure["error"]?["code"] == -32603)
        #expect(try proxy.waitForExit() == 3)
    }

    @Test("SIGTERM reaches the upstream and Warden exits with the upstream's status")
    func forwardsSignals() throws {
        let proxy = try startProxy(upstream: ["/bin/sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.05; done"])
        // Wait until the child is running: a request it never answers proves the pipes are up.
        Thread.sleep(forTimeInterval: 0.3)
        proxy.child.signal(SIGTERM)
        #expect(try proxy.waitForExit() == 42)
    }

    @Test("closing stdin ends the session and Warden exits with the upstream's status")
    func exitsWhenClientCloses() throws {
        let proxy = try startProxy()
        try initialize(proxy)
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
    }

    @Test("a command that does not exist fails clearly with status 127")
    func missingCommand() throws {
        let proxy = try startProxy(upstream: ["/nonexistent/mcp-server"])
        #expect(try proxy.waitForExit() == 127)
        #expect(proxy.standardError.contains("cannot start"))
    }

    @Test("a broken policy stops start-up with every error's position")
    func brokenPolicyRefused() throws {
        let broken = """
            version: 1
            default: maybe
            rules:
              - name: x
                tool: a
                acton: deny
            """
        let proxy = try startProxy(policy: broken)
        #expect(try proxy.waitForExit() == 78)
        let log = proxy.standardError
        #expect(log.contains("policy.yaml:2:"))
        #expect(log.contains("policy.yaml:6:"))
    }
}
