public import Foundation
import WardenPolicy
import Yams

/// Everything wrong with a gateway config, each with its line and column.
public struct GatewayConfigError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}

/// Reads `gateway.yaml`. Secrets may be written as `${NAME}` and come from the environment.
public enum GatewayConfigLoader {
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(GatewayConfigError) -> GatewayConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw GatewayConfigError(problems: ["\(path): cannot read the gateway config: \(error.localizedDescription)"])
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try load(yaml: text, fileName: path, baseDirectory: base, environment: environment)
    }

    public static func load(
        yaml: String,
        fileName: String,
        baseDirectory: String,
        environment: [String: String]
    ) throws(GatewayConfigError) -> GatewayConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw GatewayConfigError(problems: ["\(fileName): not valid YAML: \(error)"])
        }
        guard let root else { throw GatewayConfigError(problems: ["\(fileName): the config is empty; it needs at least `servers:`"]) }
        var reader = ConfigReader(fileName: fileName, baseDirectory: baseDirectory, environment: environment)
        let config = reader.config(root)
        guard reader.problems.isEmpty else { throw GatewayConfigError(problems: reader.problems) }
        return config
    }
}

struct ConfigReader {
    let fileName: String
    let baseDirectory: String
    let environment: [String: String]
    var problems: [String] = []

    mutating func fail(_ node: Node, _ message: String) {
        let mark = node.mark
        problems.append("\(fileName):\(mark?.line ?? 1):\(mark?.column ?? 1): \(message)")
    }

    // MARK: Shapes

    mutating func map(_ node: Node, _ what: String, allowed: [String]) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            fail(node, "\(what) must be a map of `key: value` lines")
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                fail(key, "a key in \(what) must be a plain name")
                continue
            }
            if !allowed.isEmpty, !allowed.contains(scalar.string) {
                var message = "unknown key `\(scalar.string)` in \(what)"
                if let guess = Suggestion.closest(to: scalar.string, among: allowed) {
                    message += "; did you mean `\(guess)`?"
                } else {
                    message += "; the keys are \(allowed.map { "`\($0)`" }.joined(separator: ", "))"
                }
                fail(key, message)
                continue
            }
            entries.append((scalar.string, key, value))
        }
        return entries
    }

    mutating func text(_ node: Node, _ key: String, substitute: Bool = false) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(node, "`\(key)` must be text")
            return nil
        }
        guard substitute else { return scalar.string }
        return expand(scalar.string, at: node)
    }

    /// `${NAME}` replaced with the environment's value; an unset name is an error, never an empty secret.
    mutating func expand(_ text: String, at node: Node) -> String? {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                fail(node, "`${` without a closing `}`")
                return nil
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                fail(node, "the environment variable `\(name)` is not set")
                return nil
            }
            output += value
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }

    mutating func texts(_ node: Node, _ key: String) -> [String]? {
        switch node {
        case .scalar:
            return text(node, key).map { [$0] }
        case .sequence(let sequence):
            var values: [String] = []
            for item in sequence {
                guard let value = text(item, key) else { return nil }
                values.append(value)
            }
            return values
        default:
            fail(node, "`\(key)` must be text or a list of text")
            return nil
        }
    }

    mutating func stringMap(_ node: Node, _ key: String) -> [(String, String)]? {
        guard let entries = map(node, "`\(key)`", allowed: []) else { return nil }
        var values: [(String, String)] = []
        for entry in entries {
            guard let value = text(entry.value, "\(key).\(entry.key)", substitute: true) else { continue }
            values.append((entry.key, value))
        }
        return values
    }

    mutating func duration(_ node: Node, _ key: String) -> Duration? {
        guard let value = text(node, key) else { return nil }
        guard let duration = DurationText.parse(value), duration > .zero else {
            fail(node, "`\(key)` must be a duration such as 30s, 5m or 1h")
            return nil
        }
        return duration
    }

    /// A positive whole number, such as a cap.
    mutating func count(_ node: Node, _ key: String) -> Int? {
        guard let value = text(node, key) else { return nil }
        guard let count = Int(value), count >= 1 else {
            fail(node, "`\(key)` must be a whole number, at least 1")
            return nil
        }
        return count
    }

    mutating func bool(_ node: Node, _ key: String) -> Bool? {
        guard let value = text(node, key) else { return nil }
        switch value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(node, "`\(key)` must be true or false")
            return nil
        }
    }

    mutating func sha256(_ node: Node, _ key: String) -> String? {
        guard let value = text(node, key)?.lowercased() else { return nil }
        guard value.count == 64, value.allSatisfy({ $0.isHexDigit }) else {
            fail(node, "`\(key)` must be 64 hex digits (`warden keys new` prints one)")
            return nil
        }
        return value
    }

    // MARK: The config

    mutating func config(_ root: Node) -> GatewayConfig {
        var config = GatewayConfig()
        let keys = [
            "listen", "store", "max_message_size", "event_loops", "session_idle_timeout", "call_timeout", "allowed_origins", "servers",
            "agents", "jwt", "aggregate", "console", "admin", "approvals", "audit", "metrics", "header_timeout", "keep_alive_timeout",
            "max_connections", "max_sessions", "max_sessions_per_agent",
        ]
        guard let entries = map(root, "the gateway config", allowed: keys) else { return config }
        var serversNode: Node?
        var aggregateNode: Node?
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "listen":
                guard let text = text(value, "listen") else { continue }
                if let address = ListenAddress.parse(text) { config.listen = address } else { fail(value, "`listen` must be host:port, such as 127.0.0.1:8787") }
            case "store":
                config.store = text(value, "store", substitute: true)
            case "max_message_size":
                if let text = text(value, "max_message_size"), let size = Int(text), size >= 1024 {
                    config.maxMessageSize = size
                } else {
                    fail(value, "`max_message_size` must be a number of bytes, at least 1024")
                }
            case "event_loops":
                if let text = text(value, "event_loops"), let count = Int(text), (1...256).contains(count) {
                    config.eventLoops = count
                } else {
                    fail(value, "`event_loops` must be a number of threads from 1 to 256")
                }
            case "session_idle_timeout":
                if let duration = duration(value, "session_idle_timeout") { config.sessionIdleTimeout = duration }
            case "call_timeout":
                config.callTimeout = duration(value, "call_timeout")
            case "header_timeout":
                if let duration = duration(value, "header_timeout") { config.headerTimeout = duration }
            case "keep_alive_timeout":
                if let duration = duration(value, "keep_alive_timeout") { config.keepAliveTimeout = duration }
            case "max_connections":
                if let count = count(value, "max_connections") { config.maxConnections = count }
            case "max_sessions":
                if let count = count(value, "max_sessions") { config.maxSessions = count }
            case "max_sessions_per_agent":
                if let count = count(value, "max_sessions_per_agent") { config.maxSessionsPerAgent = count }
            case "allowed_origins":
                config.allowedOrigins = texts(value, "allowed_origins") ?? []
            case "servers":
                serversNode = value
            case "agents":
                config.agents = agents(value)
            case "jwt":
                config.jwt = jwt(value)
            case "aggregate":
                aggregateNode = value
            case "console":
                guard let fields = map(value, "`console`", allowed: ["token_sha256", "user"]) else { continue }
                for field in fields {
                    if field.key == "user" {
                        config.consoleUser = text(field.value, "console.user") ?? config.consoleUser
                    } else {
                        config.consoleTokenSHA256 = sha256(field.value, "console.token_sha256")
                    }
                }
                if config.consoleTokenSHA256 == nil { fail(value, "`console` needs `token_sha256` (`warden keys new` prints a token and its hash)") }
            case "admin":
                guard let fields = map(value, "`admin`", allowed: ["token_sha256"]) else { continue }
                for field in fields { config.adminTokenSHA256 = sha256(field.value, "admin.token_sha256") }
                if config.adminTokenSHA256 == nil { fail(value, "`admin` needs `token_sha256` (`warden keys new` prints a token and its hash)") }
            case "approvals":
                guard let fields = map(value, "`approvals`", allowed: ["webhook"]) else { continue }
                for field in fields {
                    guard let text = text(field.value, "approvals.webhook", substitute: true) else { continue }
                    if let url = URL(string: text), url.scheme == "http" || url.scheme == "https" {
                        config.approvalWebhook = url
                    } else {
                        fail(field.value, "`approvals.webhook` must be an http or https URL")
                    }
                }
            case "audit":
                if let flag = bool(value, "audit") { config.audit = flag }
            case "metrics":
                if case .mapping = value {
                    guard let fields = map(value, "`metrics`", allowed: ["token_sha256"]) else { continue }
                    for field in fields { config.metricsTokenSHA256 = sha256(field.value, "metrics.token_sha256") }
                    if config.metricsTokenSHA256 == nil { fail(value, "`metrics` needs `token_sha256`, or true or false") }
                } else if let flag = bool(value, "metrics") {
                    config.metrics = flag
                }
            default:
                break
            }
        }
        if let serversNode { config.servers = servers(serversNode) } else { fail(root, "the gateway config needs `servers:`, one entry per upstream MCP server") }
        if let aggregateNode { config.aggregate = aggregate(aggregateNode, servers: config.servers) }
        return config
    }

    mutating func aggregate(_ node: Node, servers: [UpstreamConfig]) -> [String]? {
        if case .scalar = node, let flag = bool(node, "aggregate") { return flag ? servers.map(\.name) : nil }
        guard let names = texts(node, "aggregate") else { return nil }
        for name in names where !servers.contains(where: { $0.name == name }) {
            fail(node, "`aggregate` names `\(name)`, which is not one of `servers`")
        }
        return names
    }

    mutating func servers(_ node: Node) -> [UpstreamConfig] {
        guard let entries = map(node, "`servers`", allowed: []) else { return [] }
        var servers: [UpstreamConfig] = []
        for entry in entries {
            guard entry.key.range(of: #"^[A-Za-z0-9][A-Za-z0-9_.-]*$"#, options: .regularExpression) != nil, !entry.key.contains("__") else {
                fail(entry.keyNode, "server name `\(entry.key)` must be letters, digits, `-`, `_` or `.` (and no `__`, which the aggregate endpoint uses)")
                continue
            }
            if let server = server(entry.key, entry.value) { servers.append(server) }
        }
        if servers.isEmpty && problems.isEmpty { fail(node, "`servers` is empty; name at least one upstream MCP server") }
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
                    fail(entry.value, "`url` must be an http or https URL")
                }
            case "headers": headers = stringMap(entry.value, "headers") ?? []
            case "policy": policyNode = entry.value
            case "upstream":
                guard let text = text(entry.value, "upstream") else { continue }
                if let value = UpstreamConfig.Sharing(rawValue: text) { sharing = value } else { fail(entry.value, "`upstream` must be per_session or shared") }
            case "timeout":
                if let value = duration(entry.value, "timeout") { timeout = value }
            default: break
            }
        }
        if let policyNode {
            (policy, policyPath) = loadPolicy(policyNode, server: name)
        } else {
            fail(node, "server `\(name)` needs a `policy:` (a file path, or the policy written inline)")
        }
        let transport: UpstreamConfig.Transport
        switch (command, url) {
        case (let command?, nil):
            guard !command.isEmpty else {
                fail(node, "server `\(name)`: `command` is empty")
                return nil
            }
            transport = .stdio(command: command + args, environment: env)
        case (nil, let url?):
            transport = .http(url: url, headers: headers)
            if sharing == .shared { fail(node, "server `\(name)`: `upstream: shared` is for stdio servers; a remote server is always shared") }
        case (.some, .some):
            fail(node, "server `\(name)` has both `command` and `url`; give one")
            return nil
        case (nil, nil):
            fail(node, "server `\(name)` needs `command` (a local stdio server) or `url` (a remote Streamable HTTP server)")
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
                fail(node, "server `\(server)`: cannot read the policy file \(path)")
                return (nil, nil)
            }
            do {
                return (try PolicyLoader.load(yaml: text, fileName: path), path)
            } catch {
                problems.append(contentsOf: error.errors.map(\.description))
                return (nil, nil)
            }
        }
        do {
            return (try PolicyLoader.load(node: node, fileName: fileName), nil)
        } catch {
            problems.append(contentsOf: error.errors.map(\.description))
            return (nil, nil)
        }
    }

    mutating func agents(_ node: Node) -> [AgentKey] {
        guard case .sequence(let sequence) = node else {
            fail(node, "`agents` must be a list of `- id: …` entries")
            return []
        }
        var agents: [AgentKey] = []
        for item in sequence {
            guard let entries = map(item, "an agent", allowed: ["id", "key_sha256", "groups"]) else { continue }
            var id: String?
            var hash: String?
            var groups: [String] = []
            for entry in entries {
                switch entry.key {
                case "id": id = text(entry.value, "id")
                case "key_sha256": hash = sha256(entry.value, "key_sha256")
                case "groups": groups = texts(entry.value, "groups") ?? []
                default: break
                }
            }
            guard let id, !id.isEmpty else {
                fail(item, "an agent needs an `id`")
                continue
            }
            guard let hash else {
                fail(item, "agent `\(id)` needs `key_sha256` (`warden keys new` prints a key and its hash)")
                continue
            }
            if agents.contains(where: { $0.keySHA256 == hash }) { fail(item, "agent `\(id)` has the same key as another agent") }
            agents.append(AgentKey(id: id, keySHA256: hash, groups: groups))
        }
        return agents
    }

    mutating func jwt(_ node: Node) -> JWTSettings? {
        let keys = ["secret", "public_key", "public_key_file", "issuer", "audience", "agent_claim", "groups_claim", "leeway"]
        guard let entries = map(node, "`jwt`", allowed: keys) else { return nil }
        var key: JWTSettings.Key?
        var settings = JWTSettings(key: .hmacSHA256(secret: ""))
        for entry in entries {
            switch entry.key {
            case "secret":
                guard let secret = text(entry.value, "jwt.secret", substitute: true) else { continue }
                if secret.utf8.count < 32 { fail(entry.value, "`jwt.secret` must be at least 32 bytes") }
                key = .hmacSHA256(secret: secret)
            case "public_key":
                if let pem = text(entry.value, "jwt.public_key", substitute: true) { key = .publicKeyPEM(pem) }
            case "public_key_file":
                guard let path = text(entry.value, "jwt.public_key_file") else { continue }
                let full = path.hasPrefix("/") ? path : baseDirectory + "/" + path
                if let pem = try? String(contentsOfFile: full, encoding: .utf8) { key = .publicKeyPEM(pem) } else { fail(entry.value, "cannot read \(full)") }
            case "issuer": settings.issuer = text(entry.value, "jwt.issuer")
            case "audience": settings.audience = text(entry.value, "jwt.audience")
            case "agent_claim": settings.agentClaim = text(entry.value, "jwt.agent_claim") ?? "sub"
            case "groups_claim": settings.groupsClaim = text(entry.value, "jwt.groups_claim") ?? "groups"
            case "leeway": if let value = duration(entry.value, "jwt.leeway") { settings.leeway = value }
            default: break
            }
        }
        guard let key else {
            fail(node, "`jwt` needs `secret` (HS256), `public_key` or `public_key_file` (RS256 or ES256)")
            return nil
        }
        settings.key = key
        return settings
    }
}
