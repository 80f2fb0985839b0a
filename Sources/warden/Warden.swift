import ArgumentParser

/// The `warden` command: a policy-enforcing proxy for MCP servers.
@main
struct Warden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "A policy-enforcing proxy for Model Context Protocol servers.",
        discussion: """
            Put `warden run --policy POLICY -- SERVER…` where your MCP client starts a server, and every tool call \
            is checked against the policy before it reaches the server.
            """,
        version: WardenVersion.current,
        subcommands: [
            RunCommand.self,
            ServeCommand.self,
            KeysCommand.self,
            ValidateCommand.self,
            ExplainCommand.self,
            TestCommand.self,
            ScanCommand.self,
            DemoCommand.self,
            DemoServerCommand.self,
            ApprovalsCommand.self,
            PinsCommand.self,
            AuditCommand.self,
            StatusCommand.self,
            ImportCommand.self,
            BenchLimitsCommand.self,
        ]
    )
}

enum WardenVersion {
    static let current = "0.1.0"
}
