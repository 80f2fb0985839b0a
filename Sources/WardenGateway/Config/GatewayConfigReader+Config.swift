import Foundation
import WardenPolicy
import Yams

extension GatewayConfigReader {
    /// The whole config: every top-level key, then the servers, whose names `aggregate` may refer to.
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
                if let address = ListenAddress.parse(text) { config.listen = address } else { fail(.badValue, at: value, "`listen` must be host:port, such as 127.0.0.1:8787") }
            case "store":
                config.store = text(value, "store", substitute: true)
            case "max_message_size":
                if let text = text(value, "max_message_size"), let size = Int(text), size >= 1024 {
                    config.maxMessageSize = size
                } else {
                    fail(.badValue, at: value, "`max_message_size` must be a number of bytes, at least 1024")
                }
            case "event_loops":
                if let text = text(value, "event_loops"), let count = Int(text), (1...256).contains(count) {
                    config.eventLoops = count
                } else {
                    fail(.badValue, at: value, "`event_loops` must be a number of threads from 1 to 256")
                }
            case "session_idle_timeout":
                if let duration = duration(value, "session_idle_timeout") { config.sessionIdleTimeout = duration }
            case "call_timeout":
                // `none` turns the default off: a call may then take as long as its server likes.
                config.callTimeout = value.scalar?.string == "none" ? nil : duration(value, "call_timeout")
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
                if config.consoleTokenSHA256 == nil { fail(.missingKey, at: value, "`console` needs `token_sha256` (`warden keys new` prints a token and its hash)") }
            case "admin":
                guard let fields = map(value, "`admin`", allowed: ["token_sha256"]) else { continue }
                for field in fields { config.adminTokenSHA256 = sha256(field.value, "admin.token_sha256") }
                if config.adminTokenSHA256 == nil { fail(.missingKey, at: value, "`admin` needs `token_sha256` (`warden keys new` prints a token and its hash)") }
            case "approvals":
                guard let fields = map(value, "`approvals`", allowed: ["webhook"]) else { continue }
                for field in fields {
                    guard let text = text(field.value, "approvals.webhook", substitute: true) else { continue }
                    if let url = URL(string: text), url.scheme == "http" || url.scheme == "https" {
                        config.approvalWebhook = url
                    } else {
                        fail(.badValue, at: field.value, "`approvals.webhook` must be an http or https URL")
                    }
                }
            case "audit":
                if let flag = bool(value, "audit") { config.audit = flag }
            case "metrics":
                if case .mapping = value {
                    guard let fields = map(value, "`metrics`", allowed: ["token_sha256"]) else { continue }
                    for field in fields { config.metricsTokenSHA256 = sha256(field.value, "metrics.token_sha256") }
                    if config.metricsTokenSHA256 == nil { fail(.missingKey, at: value, "`metrics` needs `token_sha256`, or true or false") }
                } else if let flag = bool(value, "metrics") {
                    config.metrics = flag
                }
            default:
                break
            }
        }
        if let serversNode { config.servers = servers(serversNode) } else { fail(.missingKey, at: root, "the gateway config needs `servers:`, one entry per upstream MCP server") }
        if let aggregateNode { config.aggregate = aggregate(aggregateNode, servers: config.servers) }
        return config
    }
}
