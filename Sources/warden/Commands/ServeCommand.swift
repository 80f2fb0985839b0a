import ArgumentParser
import Foundation
import Logging
import WardenGateway
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden serve`: the HTTP gateway in front of several MCP servers.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve MCP servers over Streamable HTTP, each at /mcp/<name>, behind their policies.",
        discussion: """
            The config names the upstream servers (a local command or a remote URL, each with a policy), the agents \
            allowed to call (API keys or JWTs), and where state is kept. SIGTERM lets in-flight calls finish, then \
            stops every upstream.
            """
    )

    @Option(name: .long, help: "The gateway config (YAML).")
    var config: String

    @Option(name: .long, help: "Override the config's `listen` (host:port, or a port on 127.0.0.1).")
    var listen: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel: String = "notice"

    @Option(name: .customLong("log-format"), help: "text, or json (one object a line).")
    var logFormat: String = "text"

    func validate() throws {
        guard logFormat == "text" || logFormat == "json" else { throw ValidationError("--log-format must be text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if let listen, ListenAddress.parse(listen) == nil { throw ValidationError("--listen must be host:port or a port") }
    }

    func run() async throws {
        let logger = LogSetup.makeStandardErrorLogger(
            label: "warden.serve",
            level: Logger.Level(rawValue: logLevel) ?? .notice,
            json: logFormat == "json"
        )
        var loaded: GatewayConfig
        do {
            loaded = try GatewayConfigLoader.load(path: config)
        } catch {
            printError("warden: the gateway config cannot be loaded:\n\(error)")
            throw ExitCode(78)
        }
        if let listen, let address = ListenAddress.parse(listen) { loaded.listen = address }

        let dsn: StoreDSN?
        do {
            dsn = try loaded.store.map { try StoreDSN(parsing: $0) }
        } catch {
            printError("warden: store: \(error)")
            throw ExitCode(64)
        }
        let stores = StoreSet(dsn: dsn)
        let limits = stores.makeLimits()
        let approvalStore = stores.makeApprovals()
        let webhook = loaded.approvalWebhook.map { WebhookAnnouncer(url: $0, logger: logger) }
        let approvals = ApprovalChannel(store: approvalStore, announcer: webhook, instanceID: InstanceID.current)
        if loaded.servers.contains(where: { RunCommand.holdsCalls($0.policy) }) {
            _ = try? approvalStore.expireOrphans(at: Timestamp.now(), isOwnerAlive: InstanceID.isAlive)
        }
        let audit: (any AuditStore)? = loaded.audit ? stores.makeAudit() : nil
        let metrics = loaded.metrics ? WardenMetrics() : nil

        let gateway: Gateway
        do {
            gateway = try await Gateway(
                config: loaded,
                limits: limits,
                approvals: approvals,
                audit: audit,
                metrics: metrics,
                logger: logger
            )
        } catch {
            printError("warden: \(error)")
            throw ExitCode(78)
        }
        let registry = stores.makeInstanceRegistry()
        let heartbeat = Task {
            while (try? await Task.sleep(for: .seconds(5))) != nil {
                try? registry?.heartbeat(id: InstanceID.current, at: Timestamp.now())
            }
        }
        let address = loaded
        do {
            try await gateway.run { port in
                let started = Timestamp.now()
                try? registry?.register(
                    InstanceRecord(
                        id: InstanceID.current,
                        pid: getpid(),
                        mode: "serve",
                        server: address.servers.map(\.name).joined(separator: ","),
                        startedAt: started,
                        heartbeatAt: started
                    )
                )
                let endpoints = address.servers.map { "http://\(address.listen.host):\(port)/mcp/\($0.name)" }
                logger.notice("listening", metadata: ["port": "\(port)", "endpoints": "\(endpoints.joined(separator: " "))"])
                if !address.requiresCredentials {
                    logger.notice("no `agents:` or `jwt:` in the config: the gateway is open to anyone on this machine, and only on loopback")
                }
                // A line a script can wait for.
                printError("warden: serving on \(address.listen.host):\(port)")
            }
        } catch {
            printError("warden: \(error)")
            heartbeat.cancel()
            audit?.close()
            throw ExitCode(69)
        }
        heartbeat.cancel()
        try? registry?.unregister(id: InstanceID.current)
        // The audit journal is moved into the database before the process ends (a journal left behind would be
        // moved by the next Warden to open the store, but `warden audit` should show everything at once).
        audit?.close()
        await webhook?.shutdown(timeout: .seconds(5))
    }
}

/// `warden keys new`: an API key for an agent and the hash that goes into the gateway config.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make API keys for agents of the gateway.",
        subcommands: [NewKey.self]
    )

    struct NewKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Print a new API key and its SHA-256 for `key_sha256` in the gateway config."
        )

        @Option(name: .long, help: "The agent id, to print a ready `agents:` entry.")
        var agent: String?

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            let key = AgentAuthenticator.newKey()
            let hash = AgentAuthenticator.hash(key: key)
            if json {
                print(#"{"key":"\#(key)","key_sha256":"\#(hash)"\#(agent.map { #","id":"\#($0)""# } ?? "")}"#)
                return
            }
            print("key:        \(key)")
            print("key_sha256: \(hash)")
            print("")
            print("Give the key to the agent (Authorization: Bearer <key>); put only the hash in the config:")
            print("agents:")
            print("  - id: \(agent ?? "my-agent")")
            print("    key_sha256: \"\(hash)\"")
        }
    }
}
