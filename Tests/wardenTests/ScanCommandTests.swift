import Foundation
import Testing
import WardenJSON
import WardenTesting

/// `warden scan` run as a user runs it, against real servers over stdio: the demo server, a paging server written
/// for these tests, and servers that exit, stall or loop.
@Suite("warden scan over stdio")
struct ScanCommandTests {
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
        var seconds: Double
    }

    static let demoTools = [
        "read_record", "write_record", "delete_record", "start_export_job", "create_charge", "echo", "ask_user", "slow_task",
    ]

    /// Runs `warden ARGUMENTS…` to its end, with bounded waits, and keeps stdout and stderr apart.
    static func scan(_ arguments: [String], environment: [String: String] = [:], keeping directory: TemporaryDirectory? = nil) throws -> Outcome {
        let started = ContinuousClock.now
        let process = try RunningProcess(
            [WardenExecutable.path, "scan"] + arguments,
            environment: environment,
            keeping: directory.map { [$0] } ?? []
        )
        process.closeInput()
        var output = ""
        while let line = try process.readLine(timeout: .seconds(30)) { output += line + "\n" }
        let status = try process.waitForExit(timeout: .seconds(30))  // also drains stderr
        let elapsed = ContinuousClock.now - started
        return Outcome(status: status, output: output, errors: process.standardError, seconds: elapsed / .seconds(1))
    }

    /// The `--json` output as (name, object) pairs in the printed order.
    static func tools(_ outcome: Outcome) throws -> [(name: String, object: JSONValue)] {
        let parsed = try JSONParser.parse(outcome.output)
        let array = try #require(parsed.arrayValue, "scan --json prints an array: \(outcome.output)")
        return array.map { ($0["name"]?.stringValue ?? "", $0) }
    }

    static var demoServer: [String] { [WardenExecutable.path, "demo-server"] }

    static func pagingServer(_ options: String...) -> [String] {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { directory.deleteLastPathComponent() }
        return ["/usr/bin/env", "python3", directory.appendingPathComponent("Tests/Interop/upstreams/paging_server.py").path] + options
    }

    @Test(
        "lists every demo tool with a category over each way of connecting; the delete tool is destructive and at least high",
        arguments: [[], ["--revision", "2026-07-28"], ["--revision", "2025-06-18"]]
    )
    func demoServerEveryRevision(revision: [String]) throws {
        let outcome = try Self.scan(revision + ["--json", "--"] + Self.demoServer)
        #expect(outcome.status == 0, "\(outcome.errors)")
        let tools = try Self.tools(outcome)
        #expect(tools.map(\.name) == Self.demoTools, "in the server's order")
        for (name, object) in tools {
            #expect(["read", "write", "execute", "destructive", "financial", "other"].contains(object["category"]?.stringValue ?? ""), "\(name)")
            #expect(["low", "medium", "high", "critical"].contains(object["severity"]?.stringValue ?? ""), "\(name)")
            #expect(object["evidence"]?.arrayValue != nil, "\(name)")
            #expect(object["description"]?.stringValue?.isEmpty == false, "\(name)")
            #expect(object["server"] == nil, "a single target carries no server name")
        }
        let delete = try #require(tools.first { $0.name == "delete_record" }?.object)
        #expect(delete["category"] == "destructive")
        #expect(["high", "critical"].contains(delete["severity"]?.stringValue ?? ""))
    }

    @Test("the table puts the riskiest tools first, then by name, and ends with the counts per category")
    func demoServerTable() throws {
        let outcome = try Self.scan(["--color", "never", "--"] + Self.demoServer)
        #expect(outcome.status == 0, "\(outcome.errors)")
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("NAME") == true)
        #expect(lines.first?.contains("CATEGORY") == true && lines.first?.contains("SEVERITY") == true && lines.first?.contains("EVIDENCE") == true)
        let rows = lines.dropFirst().dropLast()
        #expect(rows.count == Self.demoTools.count)
        let severities = rows.map { row in ["critical", "high", "medium", "low"].firstIndex { row.contains("  \($0)  ") } ?? 9 }
        #expect(severities == severities.sorted(), "riskiest first: \(rows)")
        #expect(lines.last?.hasPrefix("8 tools: ") == true)
        #expect(lines.last?.contains("1 destructive") == true)
        #expect(!outcome.output.contains("\u{1B}["), "--color never")
    }

    @Test("--color always colours the severities; auto does not when stdout is a pipe")
    func colour() throws {
        let always = try Self.scan(["--color", "always", "--"] + Self.demoServer)
        #expect(always.output.contains("\u{1B}[31m"))
        let auto = try Self.scan(["--"] + Self.demoServer)
        #expect(!auto.output.contains("\u{1B}["))
    }

    @Test("follows nextCursor over every page, in the server's order", arguments: [false, true])
    func followsPages(python: Bool) throws {
        let server = python ? Self.pagingServer("--pages", "3") : Self.demoServer + ["--page-size", "3"]
        let outcome = try Self.scan(["--json", "--"] + server)
        #expect(outcome.status == 0, "\(outcome.errors)")
        let expected = python ? (1...9).map { "tool_\($0)" } : Self.demoTools
        #expect(try Self.tools(outcome).map(\.name) == expected)
    }

    @Test("a server with no handshake is scanned the stateless way; forcing a handshake revision on it fails clearly")
    func statelessFallback() throws {
        let outcome = try Self.scan(["--json", "--"] + Self.pagingServer("--stateless", "--pages", "2"))
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(try Self.tools(outcome).count == 9)
        let forced = try Self.scan(["--revision", "2025-11-25", "--"] + Self.pagingServer("--stateless"))
        #expect(forced.status == 1)
        #expect(forced.errors.contains("initialize was refused"), "\(forced.errors)")
    }

    @Test("a cursor handed out twice is a loop: exit 1 with an error, not a hang")
    func cursorLoop() throws {
        let outcome = try Self.scan(["--json", "--"] + Self.pagingServer("--loop"))
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("cursor loop"), "\(outcome.errors)")
        #expect(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test("a server that hands out new cursors forever is given up on after 1000 pages")
    func endlessPages() throws {
        let outcome = try Self.scan(["--"] + Self.pagingServer("--endless"))
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("after 1000 pages"), "\(outcome.errors)")
    }

    @Test("the server's own requests get answers: ping an empty result, roots/list method-not-found")
    func answersServerRequests() throws {
        let outcome = try Self.scan(["--json", "--"] + Self.pagingServer("--ask"))
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(try Self.tools(outcome).count == 9)
    }

    @Test("a server that exits at once: a clear error and exit 1")
    func serverExits() throws {
        let outcome = try Self.scan(["--", "/bin/sh", "-c", "exit 3"])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("before it answered initialize"), "\(outcome.errors)")
        #expect(outcome.errors.contains("exit status 3"), "\(outcome.errors)")
    }

    @Test("a command that does not exist: a clear error and exit 1")
    func missingCommand() throws {
        let outcome = try Self.scan(["--", "/nonexistent/mcp-server"])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("/nonexistent/mcp-server"), "\(outcome.errors)")
    }

    @Test("a server that never answers: a timeout error within the bound, and the child is stopped")
    func serverNeverAnswers() throws {
        let outcome = try Self.scan(["--timeout", "1", "--", "/bin/sh", "-c", "trap '' TERM; while true; do sleep 1; done"])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("did not answer initialize within 1 s"), "\(outcome.errors)")
        // One second of waiting, then the child ignores stdin's end and SIGTERM and is killed: well under 15 s.
        #expect(outcome.seconds < 15)
    }

    @Test("a URL nobody listens on: a clear error and exit 1, at once")
    func unreachableURL() throws {
        let outcome = try Self.scan(["--upstream", "http://127.0.0.1:1/mcp"])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("could not be reached"), "\(outcome.errors)")
        #expect(outcome.seconds < 10)
    }

    @Test("a policy's categories override the classifier, and say so in the evidence")
    func policyCategories() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", "version: 1\ndefault: allow\ncategories:\n  echo: destructive\n")
        let outcome = try Self.scan(["--json", "--policy", policy, "--"] + Self.demoServer, keeping: directory)
        #expect(outcome.status == 0, "\(outcome.errors)")
        let echo = try #require(try Self.tools(outcome).first { $0.name == "echo" }?.object)
        #expect(echo["category"] == "destructive")
        #expect(echo["evidence"]?.arrayValue?.first?.stringValue?.hasPrefix("policy") == true)
    }

    @Test("--policy-out writes a starter policy that validate accepts and test passes, with --default for unseen tools")
    func policyOut() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/starter.yaml"
        let outcome = try Self.scan(["--policy-out", path, "--default", "deny", "--"] + Self.demoServer, keeping: directory)
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(outcome.output.hasPrefix("NAME"), "the table is printed too")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("default: deny"))
        for command in [["validate", path], ["test", path]] {
            let process = try RunningProcess([WardenExecutable.path] + command, keeping: [directory])
            while try process.readLine(timeout: .seconds(30)) != nil {}
            #expect(try process.waitForExit(timeout: .seconds(30)) == 0, "\(command): \(process.standardError)")
        }
    }

    @Test("wrong combinations of options are refused before anything starts")
    func refusesBadOptions() throws {
        for arguments in [
            [], ["--upstream", "http://x/mcp", "--"] + Self.demoServer, ["--header", "A: b", "--"] + Self.demoServer,
            ["--color", "sometimes", "--"] + Self.demoServer, ["--revision", "2020-01-01", "--"] + Self.demoServer,
        ] {
            let outcome = try Self.scan(arguments)
            #expect(outcome.status == 64, "\(arguments): \(outcome.errors)")
        }
    }
}
