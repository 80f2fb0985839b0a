import ArgumentParser
import Foundation
import WardenPolicy
import WardenProxy
import WardenStore

extension RunCommand {
    /// The shared runtime's settings, from the flags; a store or webhook that cannot be understood stops here.
    func runtimeConfiguration(holdsCalls: Bool) throws -> RuntimeConfiguration {
        var configuration = RuntimeConfiguration(mode: "run", server: serverNameOrDefault)
        do {
            configuration.store = try store.map { try StoreDSN(parsing: $0) }
        } catch {
            printError("warden: --store: \(error)")
            throw ExitCode(64)
        }
        if startAfresh { try StoreAfresh.setAside(configuration.store) }
        if let approvalWebhook {
            guard let url = URL(string: approvalWebhook), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--approval-webhook must be an http or https URL")
            }
            configuration.approvalWebhook = url
        }
        configuration.approvalProgress = .milliseconds(Int64(max(approvalProgress, 0.05) * 1000))
        configuration.holdsCalls = holdsCalls
        configuration.keepsAudit = !noAudit
        if let auditRetention, !noAudit {
            guard let keep = DurationText.parse(auditRetention) else {
                throw ValidationError("--audit-retention takes a duration such as 90d, 12h or 3600")
            }
            configuration.auditRetention = keep
        }
        return configuration
    }

    /// The session's settings, from the flags and the loaded policy.
    func stdioConfiguration(policy loaded: Policy) throws -> StdioConfiguration {
        let agentID = agent ?? ProcessInfo.processInfo.environment["WARDEN_AGENT"]
        let server = serverNameOrDefault
        let identity = SessionIdentity(
            agentID: agentID,
            agentGroups: agentGroups,
            sessionID: session ?? "stdio:\(agentID ?? "anonymous")@\(server)",
            serverName: server
        )
        let target: StdioConfiguration.UpstreamChoice
        if let url = upstream.flatMap({ URL(string: $0) }) {
            let headers = try header.map { line -> (String, String) in
                let name = line.prefix { $0 != ":" }.trimmingCharacters(in: .whitespaces)
                let value = line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
                return (name, try Self.expandEnvironment(value))
            }
            target = .remote(url, headers: headers)
        } else {
            target = .command(command)
        }
        var configuration = StdioConfiguration(policy: loaded, policyPath: policy, identity: identity, upstream: target)
        configuration.proxy.maxMessageSize = maxMessageSize
        configuration.callTimeout = callTimeout.map { Duration.milliseconds(Int64(max($0, 0.001) * 1000)) }
        configuration.metrics = metrics.map { StdioConfiguration.Metrics(port: $0, tokenSHA256: metricsTokenSHA256) }
        if let console {
            let environment = ProcessInfo.processInfo.environment
            // $WARDEN_CONSOLE_TOKEN keeps one token across restarts; otherwise each run makes its own.
            configuration.console = StdioConfiguration.Console(
                port: console,
                token: environment["WARDEN_CONSOLE_TOKEN"] ?? ConsoleServer.makeToken().token,
                user: consoleUser ?? environment["USER"] ?? "console"
            )
        }
        return configuration
    }

    /// `--server-name`, or the remote server's host, or the command's name.
    private var serverNameOrDefault: String {
        serverName ?? upstream.flatMap { URL(string: $0)?.host } ?? URL(fileURLWithPath: command.first ?? "server").lastPathComponent
    }
}
