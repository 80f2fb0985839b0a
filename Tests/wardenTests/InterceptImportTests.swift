import Foundation
import Testing
import WardenTesting

/// `warden import intercept`, run as a user runs it.
@Suite("warden import intercept")
struct InterceptImportTests {
    /// Runs warden and returns its exit status, stdout, and stderr once stderr holds `waitingFor` (or ten seconds passed).
    func run(_ arguments: [String], waitingFor: String, keeping directory: TemporaryDirectory? = nil) throws -> (Int32, String, String) {
        let process = try RunningProcess([WardenExecutable.path] + arguments, keeping: directory.map { [$0] } ?? [])
        var output = ""
        while let line = try process.readLine(timeout: .seconds(30)) { output += line + "\n" }
        let status = try process.waitForExit(timeout: .seconds(60))
        _ = process.waitForStandardError(containing: waitingFor)
        return (status, output, process.standardError)
    }

    func fixture(_ name: String) -> String {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("Fixtures/Intercept/\(name)").path
    }

    @Test("the converted policy passes warden validate, and what is not carried over is on stderr with its line")
    func convertsAndValidates() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path + "/payments-warden.yaml"
        let source = fixture("payments.yaml")
        let (status, stdout, stderr) = try run(["import", "intercept", source, "-o", output], waitingFor: "[nullArgument]", keeping: directory)
        #expect(status == 0, "\(stderr)")
        #expect(stdout.isEmpty)
        #expect(stderr.contains("wrote \(output)"))
        #expect(stderr.contains("\(source):28:11: counter \"spent_today\" of charge_card: Intercept counts per calendar day"))
        #expect(stderr.contains("[calendarWindow]"))
        #expect(stderr.contains("\(source):60:13: `neq` on args.note") && stderr.contains("[nullArgument]"))
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written.hasPrefix("# Converted by `warden import intercept` from the Intercept policy \(source)."))
        #expect(written.contains("reason: \"A single charge may not exceed 500\""))
        let (valid, report, _) = try run(["validate", output], waitingFor: "", keeping: directory)
        #expect(valid == 0, "\(report)")
        #expect(report.contains("ok"))
    }

    @Test("without -o the policy goes to stdout, and a policy with nothing lost says so")
    func printsToStandardOutput() throws {
        let directory = try TemporaryDirectory()
        let source = try directory.write(
            "plain.yaml",
            "version: \"1\"\nhide: [secrets]\ntools:\n  wipe:\n    rules:\n      - name: no\n        action: deny\n"
        )
        let (status, stdout, stderr) = try run(["import", "intercept", source], waitingFor: "carried over", keeping: directory)
        #expect(status == 0, "\(stderr)")
        #expect(stdout.hasPrefix("# Converted by `warden import intercept` from the Intercept policy \(source)."))
        #expect(stdout.contains("hide: [\"secrets\"]"))
        #expect(stderr.contains("everything in \(source) was carried over"))
    }

    @Test("a broken Intercept file exits 1 with each problem's line; a missing file exits 1 saying it cannot be read")
    func refusesBrokenFiles() throws {
        let broken = fixture("broken.yaml")
        let (status, stdout, stderr) = try run(["import", "intercept", broken], waitingFor: "nothing was converted")
        #expect(status == 1)
        #expect(stdout.isEmpty)
        #expect(stderr.contains("\(broken):7:13: unknown operator `less_than`"))
        #expect(stderr.contains("\(broken):11:21: the window in `rate_limit` must be minute, hour or day, not `fortnight`"))
        #expect(!stderr.contains("has no `conditions`"))
        let (missing, _, why) = try run(["import", "intercept", "/nonexistent/policy.yaml"], waitingFor: "cannot read")
        #expect(missing == 1)
        #expect(why.contains("/nonexistent/policy.yaml: cannot read the Intercept policy"))
    }
}
