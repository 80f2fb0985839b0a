import Foundation
import Testing
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore
import WardenTesting

/// `warden audit` and `warden status`, run as the built binary against a trail written through the store.
@Suite("warden audit and warden status")
struct AuditCommandTests {
    let directory: TemporaryDirectory
    let path: String
    let now = Timestamp.now()

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.path + "/warden.db"
    }

    /// Five decisions over the last two hours: two agents, three tools, four kinds of decision.
    func fill() throws -> SQLiteAuditStore {
        let store = try SQLiteAuditStore(path: path)
        let records = [
            AuditRecord(
                time: now - .seconds(7_200),
                agentID: "ci",
                sessionID: "s1",
                tool: "read_record",
                requestID: "1",
                decision: .allowed,
                outcome: .result,
                decisionMicroseconds: 40,
                upstreamMicroseconds: 900
            ),
            AuditRecord(
                time: now - .seconds(1_800),
                agentID: "bot",
                sessionID: "s2",
                clientName: "claude-code",
                clientVersion: "2.0",
                protocolRevision: "2025-11-25",
                server: "records",
                tool: "write_record",
                requestID: "2",
                decision: .denied,
                rule: "legal hold",
                reason: "Records under legal hold cannot be changed",
                argumentsDigest: String(repeating: "a", count: 64),
                outcome: .refused,
                decisionMicroseconds: 17
            ),
            AuditRecord(
                time: now - .seconds(600),
                agentID: "bot",
                sessionID: "s2",
                tool: "write_record",
                requestID: "3",
                decision: .rateLimited,
                rule: "writes per minute",
                reason: "rate limit reached",
                outcome: .refused,
                decisionMicroseconds: 25
            ),
            AuditRecord(
                time: now - .seconds(120),
                agentID: "bot",
                sessionID: "s2",
                tool: "read_record",
                requestID: "4",
                decision: .allowed,
                outcome: .toolError,
                decisionMicroseconds: 30,
                upstreamMicroseconds: 1_250
            ),
            AuditRecord(
                time: now - .seconds(60),
                agentID: "bot",
                sessionID: "s2",
                tool: "delete_record",
                requestID: "5",
                decision: .denied,
                rule: "legal hold",
                reason: "no deletes",
                outcome: .refused,
                decisionMicroseconds: 12
            ),
        ]
        for record in records { _ = try store.append(record) }
        return store
    }

    struct Finished {
        var status: Int32
        var output: String
        var error: String
        var lines: [Substring] { output.split(separator: "\n") }
        func json() throws -> JSONValue { try JSONParser.parse(output) }
    }

    func warden(_ arguments: [String], store: Bool = true) throws -> Finished {
        let process = try RunningProcess([WardenExecutable.path] + arguments + (store ? ["--store", "sqlite:" + path] : []))
        var output = ""
        while let line = try process.readLine() { output += line + "\n" }
        let status = try process.waitForExit()
        return Finished(status: status, output: output, error: process.standardError)
    }

    func requestIDs(_ arguments: [String]) throws -> [String] {
        let result = try warden(["audit", "--json"] + arguments)
        #expect(result.status == 0, "\(result.error)")
        return try result.json().arrayValue?.compactMap { $0["requestId"]?.stringValue } ?? []
    }

    @Test("the table shows time, agent, tool, decision, rule, outcome and latency, one record a line, oldest first")
    func table() throws {
        _ = try fill()
        let result = try warden(["audit"])
        #expect(result.status == 0)
        let lines = result.lines
        #expect(lines.count == 6)
        for title in ["TIME (UTC)", "AGENT", "TOOL", "DECISION", "RULE", "OUTCOME", "LATENCY", "REASON"] {
            #expect(lines[0].contains(title))
        }
        #expect(lines[1].hasPrefix((now - .seconds(7_200)).utcText))
        #expect(lines[1].contains("read_record") && lines[1].contains("allowed") && lines[1].contains("result") && lines[1].contains("40µs + 900µs"))
        #expect(lines[2].contains("legal hold") && lines[2].contains("denied") && lines[2].contains("refused") && lines[2].contains("17µs"))
        #expect(lines[4].contains("tool_error") && lines[4].contains("30µs + 1.3ms"))
        #expect(lines[5].contains("delete_record") && lines[5].hasSuffix("no deletes"))
    }

    @Test("--json prints one array with every field; --jsonl one object per line; both in the same order")
    func jsonOutputs() throws {
        _ = try fill()
        let array = try #require(try warden(["audit", "--json"]).json().arrayValue)
        #expect(array.count == 5)
        let denied = array[1]
        #expect(denied["decision"] == "denied")
        #expect(denied["rule"] == "legal hold")
        #expect(denied["agent"] == "bot")
        #expect(denied["session"] == "s2")
        #expect(denied["client"] == "claude-code")
        #expect(denied["clientVersion"] == "2.0")
        #expect(denied["protocolRevision"] == "2025-11-25")
        #expect(denied["server"] == "records")
        #expect(denied["argumentsSha256"]?.stringValue?.count == 64)
        #expect(denied["arguments"] == .null)
        #expect(denied["outcome"] == "refused")
        #expect(denied["decisionMicros"] == 17)
        #expect(denied["time"]?.stringValue == (now - .seconds(1_800)).iso8601)
        #expect(denied["timeMs"]?.numberValue == Double((now - .seconds(1_800)).millisecondsSinceEpoch))

        let lines = try warden(["audit", "--jsonl"]).lines
        #expect(try lines.map { try JSONParser.parse(String($0)) } == array)
    }

    @Test("each filter narrows the records, and they combine")
    func filters() throws {
        _ = try fill()
        #expect(try requestIDs([]) == ["1", "2", "3", "4", "5"])
        #expect(try requestIDs(["--since", "1h"]) == ["2", "3", "4", "5"])
        #expect(try requestIDs(["--since", "15m"]) == ["3", "4", "5"])
        #expect(try requestIDs(["--until", "15m"]) == ["1", "2"])
        #expect(try requestIDs(["--until", (now - .seconds(3_600)).iso8601]) == ["1"])
        #expect(try requestIDs(["--since", (now - .seconds(700)).iso8601, "--until", "5m"]) == ["3"])
        #expect(try requestIDs(["--agent", "ci"]) == ["1"])
        #expect(try requestIDs(["--tool", "write_record"]) == ["2", "3"])
        #expect(try requestIDs(["--decision", "denied"]) == ["2", "5"])
        #expect(try requestIDs(["--decision", "rate_limited"]) == ["3"])
        #expect(try requestIDs(["--rule", "legal hold"]) == ["2", "5"])
        #expect(try requestIDs(["--rule", "legal hold", "--tool", "delete_record"]) == ["5"])
        #expect(try requestIDs(["--limit", "2"]) == ["4", "5"])
        #expect(try requestIDs(["--agent", "nobody"]) == [])
    }

    @Test("a mistyped decision or time is refused with the accepted spellings")
    func refusesBadOptions() throws {
        _ = try fill()
        let decision = try warden(["audit", "--decision", "deny"])
        #expect(decision.status != 0)
        #expect(decision.error.contains("unknown decision `deny`") && decision.error.contains("rate_limited"))
        let time = try warden(["audit", "--since", "last tuesday"])
        #expect(time.status != 0)
        #expect(time.error.contains("--since takes"))
        let both = try warden(["audit", "--json", "--jsonl"])
        #expect(both.status != 0)
    }

    @Test("export writes JSON lines to stdout or to a file, with the filters applied")
    func export() throws {
        _ = try fill()
        let stdout = try warden(["audit", "export", "--decision", "denied"])
        #expect(stdout.status == 0)
        #expect(try stdout.lines.map { try JSONParser.parse(String($0))["requestId"] } == ["2", "5"])

        let file = directory.path + "/trail.jsonl"
        let written = try warden(["audit", "export", "--since", "1h", "--output", file])
        #expect(written.status == 0)
        #expect(written.output.isEmpty)
        #expect(written.error.contains("exported 4 records"))
        let lines = try String(contentsOfFile: directory.path + "/trail.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(try lines.map { try JSONParser.parse(String($0))["requestId"] } == ["2", "3", "4", "5"])
    }

    @Test("prune deletes records older than the given age and says how many")
    func prune() throws {
        _ = try fill()
        let result = try warden(["audit", "prune", "--older-than", "1h"])
        #expect(result.status == 0)
        #expect(result.output == "removed 1 records\n")
        #expect(try requestIDs([]) == ["2", "3", "4", "5"])
        #expect(try warden(["audit", "prune", "--older-than", "soon"]).status != 0)
    }

    @Test("reading a store that does not exist says so and does not create it")
    func missingStore() throws {
        for command in [["audit"], ["audit", "export"], ["audit", "prune", "--older-than", "1d"], ["status"]] {
            let result = try warden(command)
            #expect(result.status == 0)
            #expect(result.output.isEmpty)
            #expect(result.error.contains("no audit records yet at \(path)"))
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/warden.db-wal"))
        }
    }

    @Test("--follow prints what is already there, then each new record as it is committed")
    func follow() throws {
        let store = try fill()
        let follower = try RunningProcess([WardenExecutable.path, "audit", "--follow", "--jsonl", "--since", "5m", "--store", "sqlite:" + path])
        defer { follower.child.signal(SIGTERM) }
        #expect(try JSONParser.parse(try follower.readLine() ?? "")["requestId"] == "4")
        #expect(try JSONParser.parse(try follower.readLine() ?? "")["requestId"] == "5")
        for id in 6...8 {
            _ = try store.append(AuditRecord(time: Timestamp.now(), sessionID: "s3", tool: "echo", requestID: "\(id)", decision: .allowed))
            #expect(try JSONParser.parse(try follower.readLine() ?? "")["requestId"] == .string("\(id)"))
        }
        _ = try store.append(AuditRecord(time: Timestamp.now(), agentID: "other", sessionID: "s3", tool: "echo", requestID: "9", decision: .hidden))
        #expect(try JSONParser.parse(try follower.readLine() ?? "")["requestId"] == "9")
    }

    @Test("status counts recent decisions by kind, ranks denying rules, and lists running instances")
    func status() throws {
        _ = try fill()
        let registry = try SQLiteInstanceRegistry(path: path)
        try registry.register(InstanceRecord(id: "live", pid: 4242, mode: "run", server: "records", startedAt: now - .seconds(300), heartbeatAt: now))
        try registry.register(
            InstanceRecord(id: "gone", pid: 4343, mode: "run", server: nil, startedAt: now - .seconds(900), heartbeatAt: now - .seconds(120))
        )

        let json = try warden(["status", "--json", "--minutes", "45"]).json()
        #expect(json["minutes"] == 45)
        #expect(json["calls"] == 4)
        #expect(json["refusals"] == 3)
        #expect(json["byDecision"] == ["allowed": 1, "denied": 2, "rate_limited": 1])
        #expect(json["topDenyingRules"] == [["rule": "legal hold", "count": 2], ["rule": "writes per minute", "count": 1]])
        #expect(json["pendingApprovals"] == 0)
        #expect(json["instances"]?.arrayValue?.map { $0["pid"] } == [4242])

        let text = try warden(["status", "--minutes", "5"])
        #expect(text.status == 0)
        #expect(text.output.contains("running instances: 1"))
        #expect(text.output.contains("pid 4242  run  server=records"))
        #expect(text.output.contains("last 5 minutes: 2 decisions, 1 refused"))
        #expect(text.output.contains("  2  legal hold") == false)
        #expect(text.output.contains("  1  legal hold"))
        #expect(text.output.contains("pending approvals: 0"))
    }
}
