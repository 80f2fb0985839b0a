import Foundation
import Testing
import WardenDemoServer
import WardenJSON
import WardenTesting

/// The policy commands and the demo, run as a user runs them.
@Suite("warden validate, explain, test and demo")
struct CommandLineTests {
    func run(_ arguments: [String], keeping directory: TemporaryDirectory? = nil) throws -> (status: Int32, output: String) {
        let process = try RunningProcess([WardenExecutable.path] + arguments, keeping: directory.map { [$0] } ?? [])
        var output = ""
        while let line = try process.readLine(timeout: .seconds(30)) { output += line + "\n" }
        return (try process.waitForExit(timeout: .seconds(60)), output)
    }

    func repositoryFile(_ path: String) -> String {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent(path).path
    }

    @Test("validate reports every error with its position and a fix, and exits 1")
    func validateReportsErrors() throws {
        let directory = try TemporaryDirectory()
        let broken = try directory.write(
            "broken.yaml",
            "version: 1\ndefault: maybe\nrules:\n  - name: x\n    tool: a\n    acton: deny\n    when:\n      args.n: {less_than: 3}\n"
        )
        let (status, output) = try run(["validate", broken], keeping: directory)
        #expect(status == 1)
        #expect(output.contains("broken.yaml:2:"))
        #expect(output.contains("broken.yaml:6:"))
        #expect(output.contains("did you mean `action`"))
        #expect(output.contains("did you mean `lt`"))
        let (good, summary) = try run(["validate", repositoryFile("examples/demo-policy.yaml")])
        #expect(good == 0)
        #expect(summary.contains("ok"))
    }

    @Test("explain prints the decision and why each rule matched or not")
    func explainShowsEachRule() throws {
        let (status, output) = try run([
            "explain", "--policy", repositoryFile("examples/demo-policy.yaml"), "--tool", "start_export_job",
            "--args", #"{"destination_uri":"s3://elsewhere/x"}"#,
        ])
        #expect(status == 0)
        #expect(output.contains("deny"))
        #expect(output.contains("exports go to the approved bucket only"))
        #expect(output.contains("large charges need finance review"))
        let (jsonStatus, json) = try run([
            "explain", "--policy", repositoryFile("examples/demo-policy.yaml"), "--tool", "read_record", "--args", "{}", "--json",
        ])
        #expect(jsonStatus == 0)
        #expect((try? JSONParser.parse(json)) != nil)
    }

    @Test("test runs a policy's tests: passing ones exit 0, a failing one exits 1 and says why")
    func testRunsPolicyTests() throws {
        let (status, output) = try run(["test", repositoryFile("examples/demo-policy.yaml")])
        #expect(status == 0)
        #expect(output.contains("6 passed, 0 failed"))
        let directory = try TemporaryDirectory()
        let wrong = try directory.write(
            "wrong.yaml",
            "version: 1\ndefault: allow\ntests:\n  - name: expects a denial that never comes\n    tool: anything\n    expect: deny\n"
        )
        let (failing, report) = try run(["test", wrong], keeping: directory)
        #expect(failing == 1)
        #expect(report.contains("FAIL"))
    }

    @Test("the demo shows allow, deny, hide and argument decisions, and ends by itself")
    func demoRuns() throws {
        let (status, output) = try run(["demo"])
        #expect(status == 0)
        #expect(output.contains("ALLOW  read_record"))
        #expect(output.contains("DENY   write_record"))
        #expect(output.contains("DENY   start_export_job {\"dataset\":\"claims\"}"))
        #expect(output.contains("HIDE   delete_record"))
        #expect(!output.contains("7 tools visible: read_record, write_record, delete_record"))
    }

    @Test("the demo's built-in policy is the one shipped in examples/")
    func demoPolicyMatchesExample() throws {
        let shipped = try String(contentsOfFile: repositoryFile("examples/demo-policy.yaml"), encoding: .utf8)
        #expect(shipped == DemoPolicy.yaml + "\n" || shipped == DemoPolicy.yaml)
    }
}
