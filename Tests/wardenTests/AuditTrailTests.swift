import Foundation
import Testing
import WardenJSON
import WardenProxy
import WardenTesting

/// The audit trail written by `warden run` and read by `warden audit`.
@Suite("Audit trail")
struct AuditTrailTests {
    static let policy = """
        version: 1
        hide: [delete_record]
        audit: {args: redact, redact: [args.value]}
        rules:
          - name: legal hold
            tool: write_record
            when:
              args.id: {starts_with: "legal-"}
            action: deny
            reason: Records under legal hold cannot be changed
        """

    func audit(_ arguments: [String], store: String) throws -> String {
        let process = try RunningProcess([WardenExecutable.path, "audit"] + arguments + ["--store", store])
        var output = ""
        while let line = try process.readLine() { output += line + "\n" }
        #expect(try process.waitForExit() == 0)
        return output
    }

    @Test("every decision is recorded with its outcome, arguments only as the policy allows, and warden audit filters them")
    func recordsEveryDecision() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.policy)
        let store = "sqlite:\(directory.path)/warden.db"
        let proxy = try RunningProcess(
            [WardenExecutable.path, "run", "--policy", policy, "--store", store, "--agent", "bot", "--", WardenExecutable.path, "demo-server"],
            keeping: [directory]
        )
        _ = try proxy.request(id: 1, method: "tools/call", params: ["name": "write_record", "arguments": ["id": "r-1", "value": "secret-1"]])
        _ = try proxy.request(id: 2, method: "tools/call", params: ["name": "write_record", "arguments": ["id": "legal-1", "value": "x"]])
        _ = try proxy.request(id: 3, method: "tools/call", params: ["name": "delete_record", "arguments": ["id": "r-1"]])
        _ = try proxy.request(id: 4, method: "tools/call", params: ["name": "read_record", "arguments": ["id": "nope"]])

        let running = try RunningProcess([WardenExecutable.path, "status", "--json", "--store", store])
        let live = try JSONParser.parse(try running.readLine() ?? "")
        #expect(try running.waitForExit() == 0)
        #expect(live["instances"]?.arrayValue?.first?["pid"]?.numberValue == Double(proxy.child.pid))
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)

        let all = try JSONParser.parse(try audit(["--json"], store: store)).arrayValue ?? []
        #expect(all.map { $0["decision"]?.stringValue ?? "" } == ["allowed", "denied", "hidden", "allowed"])
        #expect(all.map { $0["outcome"]?.stringValue ?? "" } == ["result", "refused", "refused", "tool_error"])
        #expect(all.allSatisfy { $0["agent"] == "bot" && $0["argumentsSha256"]?.stringValue?.count == 64 })
        #expect(all[0]["arguments"] == #"{"id":"r-1","value":"[redacted]"}"#)
        #expect(all[1]["rule"] == "legal hold")
        #expect(all[0]["upstreamMicros"]?.numberValue != nil)

        let denied = try audit(["--decision", "denied", "--jsonl"], store: store).split(separator: "\n")
        #expect(denied.count == 1)
        let byTool = try JSONParser.parse(try audit(["--tool", "read_record", "--json"], store: store)).arrayValue ?? []
        #expect(byTool.count == 1)
        let table = try audit(["--since", "1h"], store: store)
        #expect(table.contains("legal hold"))
        let exported = try audit(["export"], store: store).split(separator: "\n")
        #expect(exported.count == 4)

        let status = try RunningProcess([WardenExecutable.path, "status", "--json", "--store", store])
        let summary = try JSONParser.parse(try status.readLine() ?? "")
        #expect(try status.waitForExit() == 0)
        #expect(summary["calls"] == 4)
        #expect(summary["byDecision"]?["allowed"] == 2)
        #expect(summary["topDenyingRules"]?.arrayValue?.first?["rule"] == "legal hold")
        #expect(summary["pendingApprovals"] == 0)
        #expect(summary["instances"] == [])

        // Retention: pruning records older than an hour keeps these; pruning older than nothing removes them all.
        #expect(try audit(["prune", "--older-than", "1h"], store: store).contains("removed 0 records"))
        #expect(try audit(["prune", "--older-than", "0s"], store: store).contains("removed 4 records"))
        #expect((try JSONParser.parse(try audit(["--json"], store: store)).arrayValue ?? [nil]).isEmpty)
    }

    @Test("warden audit --follow prints new decisions as they are recorded")
    func followsTheTrail() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.policy)
        let store = "sqlite:\(directory.path)/warden.db"
        let proxy = try RunningProcess(
            [WardenExecutable.path, "run", "--policy", policy, "--store", store, "--", WardenExecutable.path, "demo-server"],
            keeping: [directory]
        )
        _ = try proxy.request(id: 1, method: "tools/call", params: ["name": "echo", "arguments": ["text": "before"]])
        let follower = try RunningProcess([WardenExecutable.path, "audit", "--follow", "--jsonl", "--store", store])
        let first = try JSONParser.parse(try follower.readLine() ?? "")
        #expect(first["requestId"] == "1")
        _ = try proxy.request(id: 2, method: "tools/call", params: ["name": "write_record", "arguments": ["id": "legal-9", "value": "x"]])
        let second = try JSONParser.parse(try follower.readLine() ?? "")
        #expect(second["requestId"] == "2")
        #expect(second["decision"] == "denied")
        follower.child.signal(SIGTERM)
        _ = try follower.waitForExit()
    }

    @Test("a proxy killed with SIGKILL mid-load loses no decision that reached the agent")
    func survivesSIGKILL() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.policy)
        let store = "sqlite:\(directory.path)/warden.db"
        let proxy = try RunningProcess(
            [WardenExecutable.path, "run", "--policy", policy, "--store", store, "--", WardenExecutable.path, "demo-server"],
            keeping: [directory]
        )
        // Pipeline many calls, read some of the answers, then kill the proxy without warning.
        for id in 1...400 {
            let target = id % 3 == 0 ? "legal-\(id)" : "r-\(id)"
            proxy.send(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"write_record","arguments":{"id":"\#(target)","value":"v"}}}"#)
        }
        var answered: Set<String> = []
        for _ in 0..<150 {
            let answer = try proxy.readMessage()
            if let id = answer["id"]?.numberValue { answered.insert(String(Int(id))) }
        }
        proxy.child.signal(SIGKILL)
        _ = try proxy.waitForExit()

        let recorded = try JSONParser.parse(try audit(["--json"], store: store)).arrayValue ?? []
        let recordedIDs = Set(recorded.compactMap { $0["requestId"]?.stringValue })
        #expect(answered.count == 150)
        #expect(answered.isSubset(of: recordedIDs), "answered but not recorded: \(answered.subtracting(recordedIDs).sorted())")
        // The killed proxy never closed its journal; `warden audit` found it unheld, moved what was left and deleted it.
        let journals = try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/warden.db.audit-journals")
        #expect(journals.isEmpty, "left behind: \(journals)")
    }
}
