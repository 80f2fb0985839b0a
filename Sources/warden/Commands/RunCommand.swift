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

    @Option(name: .long, help: "Where limits are counted: sqlite:PATH (default sqlite:~/.warden/warden.db) or memory:.")
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

        let dsn: StoreDSN?
        do {
            dsn = try store.map { try StoreDSN(parsing: $0) }
        } catch {
            printError("warden: --store: \(error)")
            throw ExitCode(64)
        }
        // The default location needs HOME; without it only calls that need a store fail, and say why.
        let stores = StoreSet(dsn: dsn)
        let limits = stores.makeLimits()
        let approvalStore = stores.makeApprovals()
        let webhook = try approvalWebhook.map { text -> WebhookAnnouncer in
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--approval-webhook must be an http or https URL")
            }
            return WebhookAnnouncer(url: url, logger: logger)
        }
        var approvals = ApprovalChannel(store: approvalStore, announcer: webhook, instanceID: InstanceID.current)
        approvals.progressInterval = .milliseconds(Int64(max(approvalProgress, 0.05) * 1000))
        if Self.holdsCalls(loaded) {
            // Records of calls a previous run was holding say what became of them instead of staying pending.
            _ = try? approvalStore.expireOrphans(at: Timestamp.now(), isOwnerAlive: InstanceID.isAlive)
        }
        let approvalChannel = approvals
        var consoleServer: ConsoleServer?
        if let console {
            // $WARDEN_CONSOLE_TOKEN keeps one token across restarts; otherwise each run makes its own.
            let token = ProcessInfo.processInfo.environment["WARDEN_CONSOLE_TOKEN"] ?? ConsoleServer.makeToken().token
            let user = consoleUser ?? ProcessInfo.processInfo.environment["USER"] ?? "console"
            do {
                consoleServer = try await ConsoleServer.start(
                    port: console,
                    store: approvalStore,
                    tokenSHA256: ConsoleServer.tokenSHA256(of: token),
                    user: user,
                    logger: logger
                )
            } catch {
                printError("warden: --console \(console): \(error)")
                throw ExitCode(69)
            }
            printError("warden: approval console at http://127.0.0.1:\(consoleServer?.port ?? console)/console?token=\(token)")
        }
        let audit: (any AuditStore)? = noAudit ? nil : stores.makeAudit()
        if let auditRetention, let audit {
            guard let keep = DurationText.parse(auditRetention) else {
                throw ValidationError("--audit-retention takes a duration such as 90d, 12h or 3600")
            }
            do {
                let removed = try audit.prune(before: Timestamp.now() - keep)
                logger.info("audit records pruned", metadata: ["audit.removed": "\(removed)"])
            } catch {
                logger.error("audit records not pruned", metadata: ["error": "\(error)"])
            }
        }
        let holder = PolicyHolder(CompiledPolicy(loaded))
        let agentID = agent ?? ProcessInfo.processInfo.environment["WARDEN_AGENT"]
        let upstreamURL = upstream.flatMap { URL(string: $0) }
        let server = serverName ?? upstreamURL?.host ?? URL(fileURLWithPath: command[0]).lastPathComponent
        let identity = SessionIdentity(
            agentID: agentID,
            agentGroups: agentGroups,
            sessionID: session ?? "stdio:\(agentID ?? "anonymous")@\(server)",
            serverName: server
        )
        var configuration = StdioProxyConfiguration()
        configuration.maxMessageSize = maxMessageSize
        let callTimeoutDuration = callTimeout.map { Duration.milliseconds(Int64(max($0, 0.001) * 1000)) }

        let target: StdioProxy.Upstream
        if let upstreamURL {
            let headers = try header.map { line -> (String, String) in
                let name = line.prefix { $0 != ":" }.trimmingCharacters(in: .whitespaces)
                let value = line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
                return (name, try Self.expandEnvironment(value))
            }
            target = .remote(url: upstreamURL, headers: headers)
        } else {
            do {
                target = .process(try ChildProcess.spawn(command))
            } catch {
                printError("warden: \(error)")
                throw ExitCode(127)
            }
        }
        let proxyConfiguration = configuration
        let wardenMetrics = metrics.map { _ in WardenMetrics() }
        var observability: ObservabilityServer?
        if let port = metrics, let wardenMetrics {
            do {
                var serverConfiguration = ObservabilityServer.Configuration()
                serverConfiguration.metricsTokenSHA256 = metricsTokenSHA256
                observability = try await ObservabilityServer.start(port: port, metrics: wardenMetrics, configuration: serverConfiguration)
            } catch {
                printError("warden: --metrics \(port): cannot listen on 127.0.0.1:\(port): \(error)")
                await target.abandon()
                throw ExitCode(69)
            }
            logger.notice("metrics at http://127.0.0.1:\(observability?.port ?? port)/metrics")
        }
        wardenMetrics?.sessionOpened()
        // Listed by `warden status` while it runs; a store that cannot be opened only costs the listing.
        let registry = stores.makeInstanceRegistry()
        let started = Timestamp.now()
        try? registry?.register(
            InstanceRecord(id: InstanceID.current, pid: getpid(), mode: "run", server: server, startedAt: started, heartbeatAt: started)
        )
        let sessionLogger = logger.with(metadata: ["session.id": "\(identity.sessionID)"])
        let watcher = PolicyWatcher(path: policy, holder: holder, logger: logger)
        let status = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await watcher.run()
                return nil
            }
            if let registry {
                group.addTask {
                    while (try? await Task.sleep(for: .seconds(5))) != nil {
                        try? registry.heartbeat(id: InstanceID.current, at: Timestamp.now())
                    }
                    return nil
                }
            }
            group.addTask {
                try await StdioProxy.run(upstream: target, configuration: proxyConfiguration, logger: sessionLogger) {
                    SessionInterceptor(
                        policy: holder,
                        identity: identity,
                        maxMessageSize: proxyConfiguration.maxMessageSize,
                        limits: limits,
                        approvals: approvalChannel,
                        audit: audit,
                        metrics: wardenMetrics,
                        callTimeout: callTimeoutDuration,
                        logger: sessionLogger
                    )
                }
            }
            // The proxy ends the session; the watcher is cancelled with it.
            var status: Int32 = 0
            while let result = try await group.next() {
                if let result {
                    status = result
                    group.cancelAll()
                }
            }
            return status
        }
        wardenMetrics?.sessionClosed()
        try? registry?.unregister(id: InstanceID.current)
        // What the audit journal holds goes into the database before the process ends.
        audit?.close()
        await observability?.shutdown()
        await consoleServer?.shutdown()
        // The last announcements (a call resolved as the session ended) go out before the process does.
        await webhook?.shutdown(timeout: .seconds(5))
        throw ExitCode(status)
    }
}

extension RunCommand {
    /// `${NAME}` replaced from the environment, so a secret need not sit in a shell history or a client's config.
    static func expandEnvironment(_ text: String) throws -> String {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { throw ValidationError("`${` without `}` in --header") }
            let name = String(rest[start.upperBound..<end])
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw ValidationError("--header uses ${\(name)}, which is not set")
            }
            output += value
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }

    static func holdsCalls(_ policy: Policy) -> Bool {
        policy.defaultAction == .requireApproval || policy.rules.contains { $0.action == .requireApproval }
    }
}

/// This process as the owner of the calls it holds: its pid and a random part, so a reused pid is not mistaken.
enum InstanceID {
    static let current = "\(getpid()):\(SessionID.make().prefix(8))"

    /// Whether the process that wrote `instance` still runs (on this machine, which shares the SQLite file).
    static func isAlive(_ instance: String) -> Bool {
        guard instance != current else { return true }
        guard let pid = instance.split(separator: ":").first.flatMap({ Int32($0) }) else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}

extension Logger {
    func with(metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}
