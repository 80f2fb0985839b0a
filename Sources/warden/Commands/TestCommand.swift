import ArgumentParser
import WardenPolicy
import WardenProxy

/// `warden test`: runs the `tests:` section of policy files, so a policy is reviewed like code.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the tests: section of policy files and report each result."
    )

    @Argument(help: "Policy files whose tests to run.")
    var files: [String]

    func run() throws {
        var passed = 0
        var failed = 0
        var broken = false
        for file in files {
            let policy: Policy
            do {
                policy = try PolicyFile.load(file)
            } catch {
                print(error.description)
                broken = true
                continue
            }
            if policy.tests.isEmpty { print("\(file): no tests") }
            for result in PolicyTestRunner.run(CompiledPolicy(policy), at: Timestamp.now()) {
                if result.passed {
                    passed += 1
                    print("PASS  \(result.testCase.name)")
                } else {
                    failed += 1
                    print("FAIL  \(result.testCase.name) — \(result.message)  [\(result.testCase.position)]")
                }
            }
        }
        print("policy tests: \(passed) passed, \(failed) failed")
        if failed > 0 || broken { throw ExitCode(1) }
    }
}
