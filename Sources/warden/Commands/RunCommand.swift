import ArgumentParser
import Foundation
import Logging
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden run`: wraps a local MCP server and enforces a policy on its tool calls.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an MCP server behind a policy, over stdio.",
        discussion: """
            Warden starts the server after `--` as a child process and speaks MCP with your client on its own \
            stdin and stdout. Logs go to stderr, with the server's own stderr.
            """
    )

    @Option(name: .long, help: "The policy file (YAML).")
    var policy: String

    @Option(name: .long, help: "The agent's id for policy rules (default: $WARDEN_AGENT).")
    var agent: String?

    @Option(name: .customLong("agent-group"), help: "A group the agent belongs to; repeat for several.")
    var agentGroups: [String] = []

    @Option(
        name: .long,
        help: "The session id for `per: session` limits (default: the agent and server, so a restart continues the session)."
    )
    var session: String?

    @Option(name: .customLong("server-name"), help: "The upstream's name for `server` selectors (default: the command's name).")
    var serverName: String?

    @Option(name: .customLong("max-message-size"), help: "The largest message accepted, in bytes.")
    var maxMessageSize: Int = 4 * 1024 * 1024

    @Option(name: .long, help: "Where limits, approvals, pins and the audit trail live: sqlite:PATH (default sqlite:~/.warden/warden.db), postgres://USER:PASSWORD@HOST:PORT/DB (a fleet) or memory:.")
    var store: String?

    @Option(name: .long, help: "Serve /metrics, /healthz and /readyz on 127.0.0.1 at this port (0: any free port).")
    var metrics: Int?

    @Option(
        name: .customLong("metrics-token-sha256"),
        help: "SHA-256 (hex) of a bearer token /metrics requires (401 without it); /healthz and /readyz stay open."
    )
    var metricsTokenSHA256: String?

    @Option(name: .customLong("call-timeout"), help: "Seconds the server may take to answer a tools/call (default: no limit).")
    var callTimeout: Double?

    @Flag(name: .customLong("no-audit"), help: "Keep no audit trail (decisions are still logged).")
    var noAudit = false

    @Flag(
        name: .customLong("start-afresh"),
        help: "If the SQLite store file was emptied or damaged, set it aside (PATH.broken-TIME) and begin a new store."
    )
    var startAfresh = false

    @Option(name: .customLong("audit-retention"), help: "Delete audit records older than this at start-up, e.g. 30d.")
    var auditRetention: String?

    @Option(name: .customLong("approval-webhook"), help: "A URL that gets a JSON POST for each new and each resolved approval.")
    var approvalWebhook: String?

    @Option(name: .customLong("approval-progress"), help: "Seconds between progress notifications to a client waiting for approval.")
    var approvalProgress: Double = 5

    @Option(name: .long, help: "Serve the approval console on 127.0.0.1 at this port (0: any free port); the URL with its token goes to stderr.")
    var console: Int?

    @Option(name: .customLong("console-user"), help: "Who the console's decisions are recorded as (default $USER).")
    var consoleUser: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel: String = "notice"

    @Option(name: .customLong("log-format"), help: "text, or json (one object a line).")
    var logFormat: String = "text"

    @Option(name: .long, help: "A remote Streamable HTTP server to bridge to, instead of a command after `--`.")
    var upstream: String?

    @Option(name: .long, help: "A header for the remote server, `Name: value` (repeatable); ${VAR} reads the environment.")
    var header: [String] = []

    @Argument(parsing: .postTerminator, help: "The MCP server's command and arguments, after `--`.")
    var command: [String] = []

    func validate() throws {
        if let upstream {
            guard command.isEmpty else { throw ValidationError("give either --upstream URL or a command after `--`, not both") }
            guard let url = URL(string: upstream), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--upstream must be an http or https URL")
            }
            for line in header where !line.contains(":") {
                throw ValidationError("--header takes `Name: value`, got `\(line)`")
            }
        } else {
            guard !command.isEmpty else {
                throw ValidationError("give the MCP server's command after `--`, e.g. `warden run --policy p.yaml -- my-server --flag`")
            }
            guard header.isEmpty else { throw ValidationError("--header goes with --upstream") }
        }
        guard maxMessageSize >= 1024 else { throw ValidationError("--max-message-size must be at least 1024 bytes") }
        if let digest = metricsTokenSHA256 {
            guard metrics != nil else { throw ValidationError("--metrics-token-sha256 goes with --metrics") }
            guard digest.utf8.count == 64, digest.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                throw ValidationError("--metrics-token-sha256 must be 64 lowercase hex digits (the SHA-256 of the token, as `sha256sum` prints it)")
            }
        }
        guard logFormat == "text" || logFormat == "json" else { throw ValidationError("--log-format must be text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let logger = LogSetup.makeStandardErrorLogger(
            label: "warden.run",
            level: Logger.Level(rawValue: logLevel) ?? .notice,
            json: logFormat == "json"
        )
        let loaded: Policy
        do {
            loaded = try PolicyFile.load(policy)
        } catch {
            printError("warden: the policy cannot be loaded:\n\(error)")
            throw ExitCode(78)
        }
        let runtime = Runtime(configuration: try runtimeConfiguration(holdsCalls: loaded.holdsCalls), logger: logger)
        let status: Int32
        do {
            status = try await runtime.runStdio(try stdioConfiguration(policy: loaded))
        } catch let error as RuntimeError {
            printError("warden: \(error)")
            throw ExitCode(error.code == .upstreamNotStarted ? 127 : 69)
        }
        throw ExitCode(status)
    }
}

extension RunCommand {
    /// `${NAME}` replaced from the environment, so a secret need not sit in a shell history or a client's config.
    static func expandEnvironment(_ text: String) throws -> String {
        do {
            return try EnvironmentText.expand(text, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("--header: \(error)")
        }
    }
}
