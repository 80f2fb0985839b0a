import ArgumentParser
import WardenPolicy

/// `warden validate`: checks policy files and reports every error with its position and a fix.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check policy files; print every error with file:line:column and a fix."
    )

    @Argument(help: "Policy files to check.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let policy = try PolicyFile.load(file)
                let hidden = policy.hide.count
                print(
                    "\(file): ok — \(policy.rules.count) rule\(policy.rules.count == 1 ? "" : "s"), "
                        + "\(hidden) hidden pattern\(hidden == 1 ? "" : "s"), \(policy.tests.count) test\(policy.tests.count == 1 ? "" : "s")"
                )
            } catch {
                print(error.description)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
