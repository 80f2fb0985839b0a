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

    @Flag(
        name: .customLong("start-afresh"),
        help: "If the SQLite store file was emptied or damaged, set it aside (PATH.broken-TIME) and begin a new store."
    )
    var startAfresh = false

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

        let runtime = Runtime(configuration: try runtimeConfiguration(loaded), logger: logger)

        var gateway: Gateway
        do {
            gateway = try await Gateway(
                config: loaded,
                limits: runtime.limits,
                approvals: runtime.approvals,
                audit: runtime.audit,
                pins: runtime.pins,
                metrics: loaded.metrics ? WardenMetrics() : nil,
                logger: logger
            )
        } catch {
            printError("warden: \(error)")
            throw ExitCode(78)
        }
        let listening = loaded
        gateway.onListening = { port in Self.announce(listening, port: port, logger: logger) }
        do {
            try await runtime.run([gateway])
        } catch {
            printError("warden: \(error)")
            throw ExitCode(69)
        }
    }
}

extension ServeCommand {
    /// The shared runtime's settings, from the gateway config; a store that cannot be understood stops here.
    func runtimeConfiguration(_ loaded: GatewayConfig) throws -> RuntimeConfiguration {
        var configuration = RuntimeConfiguration(mode: "serve", server: loaded.servers.map(\.name).joined(separator: ","))
        do {
            configuration.store = try loaded.store.map { try StoreDSN(parsing: $0) }
        } catch {
            printError("warden: store: \(error)")
            throw ExitCode(64)
        }
        if startAfresh { try StoreAfresh.setAside(configuration.store) }
        configuration.keepsAudit = loaded.audit
        configuration.approvalWebhook = loaded.approvalWebhook
        configuration.holdsCalls = loaded.servers.contains { $0.policy.holdsCalls }
        return configuration
    }

    /// Says where the gateway listens, once it does: in the log, and as a line on stderr a script can wait for.
    static func announce(_ config: GatewayConfig, port: Int, logger: Logger) {
        let endpoints = config.servers.map { "http://\(config.listen.host):\(port)/mcp/\($0.name)" }
        logger.notice("listening", metadata: ["port": "\(port)", "endpoints": "\(endpoints.joined(separator: " "))"])
        if !config.requiresCredentials {
            logger.notice("no `agents:` or `jwt:` in the config: the gateway is open to anyone on this machine, and only on loopback")
        }
        printError("warden: serving on \(config.listen.host):\(port)")
    }
}
