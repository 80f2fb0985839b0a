public import Foundation
import NIOCore
public import WardenPolicy

/// What `warden serve --config FILE` runs: where to listen, the upstream servers with their policies, and who may call.
public struct GatewayConfig: Sendable {
    /// Host and port to bind. Default 127.0.0.1:8787.
    public var listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8787)
    /// The store DSN (`sqlite:PATH`, `postgres://…`, `memory:`); nil means the default SQLite file.
    public var store: String?
    /// The largest JSON-RPC message accepted in a request body or from an upstream, in bytes.
    public var maxMessageSize: Int = 4 * 1024 * 1024
    /// Threads serving HTTP and running sessions. A session and the connections it is reached over share one
    /// thread where they can, so fewer threads mean fewer hand-offs per call; the default, half the cores (at least
    /// one), leaves the rest to the upstream servers and the kernel.
    public var eventLoops: Int = max(1, System.coreCount / 2)
    /// How long an HTTP session may sit unused before Warden ends it and stops its upstream.
    public var sessionIdleTimeout: Duration = .seconds(30 * 60)
    /// How long an upstream may take to answer a tools/call before the client gets an error and the server a
    /// cancellation. Default 5 minutes, so a call that hangs cannot hold its session (and its process) forever; nil
    /// waits forever.
    public var callTimeout: Duration? = .seconds(300)
    /// How long a new connection may take to send its first request head; a client that connects and says nothing
    /// is dropped after it, so idle sockets cannot pile up.
    public var headerTimeout: Duration = .seconds(10)
    /// How long a connection may wait between requests (or between parts of a request body) before it is closed.
    public var keepAliveTimeout: Duration = .seconds(60)
    /// Open connections at most; one more is answered 503 and closed.
    public var maxConnections: Int = 1024
    /// Sessions open at once, across all agents (an aggregate session counts once; a stateless agent's shared
    /// session counts once per server).
    public var maxSessions: Int = 256
    /// Sessions one agent may hold open at once; anonymous clients share one allowance.
    public var maxSessionsPerAgent: Int = 16
    /// Browser origins allowed besides the gateway's own loopback ones.
    public var allowedOrigins: [String] = []
    public var servers: [UpstreamConfig] = []
    public var agents: [AgentKey] = []
    public var jwt: JWTSettings?
    /// The servers merged at `/mcp`, or nil when there is no aggregate endpoint.
    public var aggregate: [String]?
    /// SHA-256 (hex) of the token that opens the console; nil disables the console.
    public var consoleTokenSHA256: String?
    /// Who the console's decisions are recorded as, and checked against a rule's `approvers`. Default `console`.
    public var consoleUser: String = "console"
    /// SHA-256 (hex) of the admin API's bearer token; nil disables the admin API.
    public var adminTokenSHA256: String?
    /// Where new and resolved approvals are announced.
    public var approvalWebhook: URL?
    /// Whether decisions are written to the audit trail. Default true.
    public var audit: Bool = true
    /// Whether the gateway serves `/metrics`. Default true.
    public var metrics: Bool = true
    /// SHA-256 (hex) of the bearer token `/metrics` asks for; nil serves it to anyone who can connect.
    public var metricsTokenSHA256: String?

    public init() {}

    /// Whether any way of identifying agents is configured.
    public var requiresCredentials: Bool { !agents.isEmpty || jwt != nil }

    public func server(named name: String) -> UpstreamConfig? { servers.first { $0.name == name } }
}

public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Whether only this machine can connect.
    public var isLoopback: Bool { host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Reads `host:port`, `[v6]:port` or a bare port.
    public static func parse(_ text: String) -> ListenAddress? {
        if let port = Int(text), (0...65535).contains(port) { return ListenAddress(host: "127.0.0.1", port: port) }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (0...65535).contains(port) else { return nil }
            return ListenAddress(host: host, port: port)
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { return nil }
        let host = String(text[..<colon])
        guard !host.isEmpty else { return nil }
        return ListenAddress(host: host, port: port)
    }
}

/// One upstream MCP server the gateway fronts at `/mcp/<name>`.
public struct UpstreamConfig: Sendable {
    public enum Transport: Sendable {
        /// A local process spoken to over stdio.
        case stdio(command: [String], environment: [String: String])
        /// A remote Streamable HTTP server.
        case http(url: URL, headers: [(String, String)])
    }

    /// Whether a stdio upstream runs once per downstream session or once for everyone.
    public enum Sharing: String, Sendable {
        case perSession = "per_session"
        case shared
    }

    public var name: String
    public var transport: Transport
    public var policy: Policy
    /// Where the policy came from, when it is a file the gateway watches.
    public var policyPath: String?
    public var sharing: Sharing = .perSession
    /// How long a request to a remote upstream may take before it fails.
    public var requestTimeout: Duration = .seconds(60)
}

/// An API key an agent presents, stored as its SHA-256 so the config never holds the key itself.
public struct AgentKey: Sendable, Hashable {
    public var id: String
    /// Lowercase hex SHA-256 of the key.
    public var keySHA256: String
    public var groups: [String]

    public init(id: String, keySHA256: String, groups: [String] = []) {
        self.id = id
        self.keySHA256 = keySHA256
        self.groups = groups
    }
}

/// How bearer JWTs are verified: locally, with a shared secret or a public key.
public struct JWTSettings: Sendable {
    public enum Key: Sendable {
        case hmacSHA256(secret: String)
        /// A PEM public key; RS256 for RSA, ES256 for a P-256 key.
        case publicKeyPEM(String)
    }

    public var key: Key
    public var issuer: String?
    public var audience: String?
    /// The claim holding the agent id. Default `sub`.
    public var agentClaim: String = "sub"
    /// The claim holding the agent's groups (a list, or text separated by spaces). Default `groups`.
    public var groupsClaim: String = "groups"
    /// Allowed clock difference when checking `exp` and `nbf`.
    public var leeway: Duration = .seconds(30)

    public init(key: Key) {
        self.key = key
    }
}
