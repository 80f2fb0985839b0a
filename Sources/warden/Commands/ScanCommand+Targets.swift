import ArgumentParser
import Foundation
import WardenGateway
import WardenPolicy

extension ScanCommand {
    /// The servers to scan, from the command line or a gateway config, each with the policy whose categories apply.
    func loadTargets() throws -> [ScanTarget] {
        var override: Policy?
        if let policy {
            do {
                override = try PolicyFile.load(policy)
            } catch {
                printError("warden scan: the policy cannot be loaded:\n\(error)")
                throw ExitCode(78)
            }
        }
        if let upstream, let url = URL(string: upstream) {
            let headers = try header.map { line -> (String, String) in
                let name = line.prefix { $0 != ":" }.trimmingCharacters(in: .whitespaces)
                let value = line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
                return (name, try RunCommand.expandEnvironment(value))
            }
            return [ScanTarget(transport: .remote(url, headers: headers), policy: override)]
        }
        guard let config else { return [ScanTarget(transport: .command(command, environment: [:]), policy: override)] }
        let loaded: GatewayConfig
        do {
            loaded = try GatewayConfigLoader.load(path: config)
        } catch {
            printError("warden scan: the gateway config cannot be loaded:\n\(error)")
            throw ExitCode(78)
        }
        var servers = loaded.servers
        if let server {
            guard let chosen = loaded.server(named: server) else {
                let names = loaded.servers.map(\.name).joined(separator: ", ")
                printError("warden scan: \(config) has no server `\(server)`; it has \(names.isEmpty ? "none" : names)")
                throw ExitCode(64)
            }
            servers = [chosen]
        }
        return servers.map { server in
            let transport: ScanTarget.Transport =
                switch server.transport {
                case .stdio(let command, let environment): .command(command, environment: environment)
                case .http(let url, let headers): .remote(url, headers: headers)
                }
            return ScanTarget(name: server.name, transport: transport, policy: override ?? server.policy)
        }
    }
}
