import Foundation
import WardenPolicy
import Yams

extension GatewayConfigReader {
    mutating func aggregate(_ node: Node, servers: [UpstreamConfig]) -> [String]? {
        if case .scalar = node, let flag = bool(node, "aggregate") { return flag ? servers.map(\.name) : nil }
        guard let names = texts(node, "aggregate") else { return nil }
        for name in names where !servers.contains(where: { $0.name == name }) {
            fail(.badValue, at: node, "`aggregate` names `\(name)`, which is not one of `servers`")
        }
        return names
    }

    mutating func servers(_ node: Node) -> [UpstreamConfig] {
        guard let entries = map(node, "`servers`", allowed: []) else { return [] }
        var servers: [UpstreamConfig] = []
        for entry in entries {
            guard entry.key.range(of: #"^[A-Za-z0-9][A-Za-z0-9_.-]*$"#, options: .regularExpression) != nil, !entry.key.contains("__") else {
                fail(.badValue, at: entry.keyNode, "server name `\(entry.key)` must be letters, digits, `-`, `_` or `.` (and no `__`, which the aggregate endpoint uses)")
                continue
            }
            if let server = server(entry.key, entry.value) { servers.append(server) }
        }
        if servers.isEmpty && errors.isEmpty { fail(.missingKey, at: node, "`servers` is empty; name at least one upstream MCP server") }
        return servers
    }

    mutating func server(_ name: String, _ node: Node) -> UpstreamConfig? {
        let keys = ["command", "args", "env", "url", "headers", "policy", "upstream", "timeout"]
        guard let entries = map(node, "server `\(name)`", allowed: keys) else { return nil }
        var command: [String]?
        var args: [String] = []
        var env: [String: String] = [:]
        var url: URL?
        var headers: [(String, String)] = []
        var policy: Policy?
        var policyPath: String?
        var sharing = UpstreamConfig.Sharing.perSession
        var timeout: Duration = .seconds(60)
        var policyNode: Node?
        for entry in entries {
            switch entry.key {
            case "command": command = texts(entry.value, "command").map { $0.map { expand($0, at: entry.value) ?? $0 } }
            case "args": args = texts(entry.value, "args") ?? []
            case "env": env = Dictionary(stringMap(entry.value, "env") ?? [], uniquingKeysWith: { $1 })
            case "url":
                guard let text = text(entry.value, "url", substitute: true) else { continue }
                if let parsed = URL(string: text), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil {
                    url = parsed
                } else {
                    fail(.badValue, at: entry.value, "`url` must be an http or https URL")
                }
            case "headers": headers = stringMap(entry.value, "headers") ?? []
            case "policy": policyNode = entry.value
            case "upstream":
                guard let text = text(entry.value, "upstream") else { continue }
                if let value = UpstreamConfig.Sharing(rawValue: text) { sharing = value } else { fail(.badValue, at: entry.value, "`upstream` must be per_session or shared") }
            case "timeout":
                if let value = duration(entry.value, "timeout") { timeout = value }
            default: break
            }
        }
        if let policyNode {
            (policy, policyPath) = loadPolicy(policyNode, server: name)
        } else {
            fail(.missingKey, at: node, "server `\(name)` needs a `policy:` (a file path, or the policy written inline)")
        }
        let transport: UpstreamConfig.Transport
        switch (command, url) {
        case (let command?, nil):
            guard !command.isEmpty else {
                fail(.badValue, at: node, "server `\(name)`: `command` is empty")
                return nil
            }
            transport = .stdio(command: command + args, environment: env)
        case (nil, let url?):
            transport = .http(url: url, headers: headers)
            if sharing == .shared { fail(.badValue, at: node, "server `\(name)`: `upstream: shared` is for stdio servers; a remote server is always shared") }
        case (.some, .some):
            fail(.badValue, at: node, "server `\(name)` has both `command` and `url`; give one")
            return nil
        case (nil, nil):
            fail(.missingKey, at: node, "server `\(name)` needs `command` (a local stdio server) or `url` (a remote Streamable HTTP server)")
            return nil
        }
        guard let policy else { return nil }
        var server = UpstreamConfig(name: name, transport: transport, policy: policy, policyPath: policyPath)
        server.sharing = sharing
        server.requestTimeout = timeout
        return server
    }

    mutating func loadPolicy(_ node: Node, server: String) -> (Policy?, String?) {
        if case .scalar(let scalar) = node {
            let path = scalar.string.hasPrefix("/") ? scalar.string : baseDirectory + "/" + scalar.string
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                fail(.unreadableFile, at: node, "server `\(server)`: cannot read the policy file \(path)")
                return (nil, nil)
            }
            do {
                return (try PolicyLoader.load(yaml: text, fileName: path), path)
            } catch {
                errors.append(contentsOf: error.errors)
                return (nil, nil)
            }
        }
        do {
            return (try PolicyLoader.load(node: node, fileName: fileName), nil)
        } catch {
            errors.append(contentsOf: error.errors)
            return (nil, nil)
        }
    }
}
