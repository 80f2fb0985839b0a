import AsyncHTTPClient
import Foundation
import Synchronization
import Logging
import NIOCore
import NIOPosix
import WardenPolicy
import WardenProxy
import WardenStore

/// Makes the gateway's sessions, and holds what they share: policies, stores, identity, metrics, the registry of
/// open sessions and their quota.
final class SessionFactory: Sendable {
    let config: GatewayConfig
    let policies: [String: PolicyHolder]
    let limits: (any LimitStore)?
    let approvals: ApprovalChannel?
    /// Where tool definitions are pinned, shared by every session of the process.
    let pins: PinKeeper?
    let audit: (any AuditStore)?
    let metrics: WardenMetrics?
    let authenticator: AgentAuthenticator
    let registry = SessionRegistry()
    /// How many sessions may be open, in total and per agent.
    let quota: SessionQuota
    /// Set when shutdown began: no new session or stream is opened.
    let draining = Atomic<Bool>(false)
    let group: any EventLoopGroup
    let logger: Logger
    let callTimeout: Duration?
    /// One pooled client for every remote upstream; redirects are not followed, so credentials stay with their host.
    let httpClient: HTTPClient
    /// The one process of each `upstream: shared` stdio server.
    let shared: [String: SharedStdioUpstream]
    /// Every child process started, for shutdown to stop.
    let children = ChildRoster()
    /// The restart backoff of failing upstreams, for `/readyz` and `/metrics`.
    let health: UpstreamHealth

    init(
        config: GatewayConfig,
        limits: (any LimitStore)?,
        approvals: ApprovalChannel?,
        audit: (any AuditStore)?,
        pins: PinKeeper?,
        metrics: WardenMetrics?,
        authenticator: AgentAuthenticator,
        group: any EventLoopGroup,
        logger: Logger
    ) {
        self.config = config
        self.quota = SessionQuota(maxTotal: config.maxSessions, maxPerAgent: config.maxSessionsPerAgent)
        var policies: [String: PolicyHolder] = [:]
        for server in config.servers { policies[server.name] = PolicyHolder(CompiledPolicy(server.policy)) }
        self.policies = policies
        self.limits = limits
        self.approvals = approvals
        self.audit = audit
        self.pins = pins
        self.metrics = metrics
        self.authenticator = authenticator
        self.group = group
        self.logger = logger
        self.callTimeout = config.callTimeout
        self.httpClient = HTTPUpstream.makeClient(group: group)
        self.health = UpstreamHealth(metrics: metrics)
        let children = self.children
        var shared: [String: SharedStdioUpstream] = [:]
        for server in config.servers where server.sharing == .shared {
            guard case .stdio(let command, let environment) = server.transport else { continue }
            let loop = group.next()
            let maxMessageSize = config.maxMessageSize
            let sharedLogger = logger.with(["server.name": "\(server.name)", "upstream": "shared"])
            shared[server.name] = SharedStdioUpstream(loop: loop, logger: sharedLogger) { upstream in
                let child = try await StdioUpstream.start(
                    command: command,
                    environment: environment,
                    loop: loop,
                    maxMessageSize: maxMessageSize,
                    events: upstream,
                    logger: sharedLogger
                )
                children.add(child)
                return child
            }
        }
        self.shared = shared
    }

    /// A new session for `server`, on one of the group's loops, whose upstream starts with its first message.
    func makeSession(id: String, server: UpstreamConfig, agent: AgentIdentity, stateless: Bool) -> GatewaySession {
        let sharedUpstream = shared[server.name]
        // Sessions of a shared server live on its process's loop, so no message changes threads; other sessions
        // start on the loop of the connection that opened them, so a client's calls on that connection stay there.
        let loop = sharedUpstream?.loop ?? currentLoop ?? group.next()
        let sessionLogger = logger.with(["session.id": "\(id)", "server.name": "\(server.name)"])
        let identity = SessionIdentity(
            agentID: agent.id,
            agentGroups: agent.groups,
            sessionID: stateless ? "http:\(agent.id ?? "anonymous")@\(server.name)" : "http:\(id)",
            serverName: server.name
        )
        let interceptor = SessionInterceptor(
            policy: policies[server.name]!,
            identity: identity,
            maxMessageSize: config.maxMessageSize,
            limits: limits,
            approvals: approvals,
            audit: audit,
            pins: pins,
            metrics: metrics,
            callTimeout: callTimeout,
            logger: sessionLogger
        )
        let maxMessageSize = config.maxMessageSize
        let metrics = self.metrics
        let httpClient = self.httpClient
        let children = self.children
        let session = GatewaySession(
            id: id,
            serverName: server.name,
            agent: agent,
            stateless: stateless,
            loop: loop,
            interceptor: interceptor,
            logger: sessionLogger,
            health: health
        ) { session in
            if let sharedUpstream {
                return try await sharedUpstream.loop.submit { sharedUpstream.attach(session) }.get()
            }
            switch server.transport {
            case .stdio(let command, let environment):
                let child = try await StdioUpstream.start(
                    command: command,
                    environment: environment,
                    loop: session.loop,
                    maxMessageSize: maxMessageSize,
                    events: session,
                    logger: sessionLogger
                )
                children.add(child)
                return child
            case .http(let url, let headers):
                return HTTPUpstream(
                    url: url,
                    headers: headers,
                    client: httpClient,
                    loop: session.loop,
                    events: session,
                    maxMessageSize: maxMessageSize,
                    requestTimeout: server.requestTimeout,
                    logger: sessionLogger
                )
            }
        }
        metrics?.sessionOpened()
        return session
    }

    /// The event loop of this thread when it is one of the group's (a request handler runs on its connection's).
    private var currentLoop: (any EventLoop)? {
        guard let current = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        return group.makeIterator().first { $0 === current }
    }

    func ended(_ session: GatewaySession) {
        quota.release(key: session.stateless ? Self.statelessKey(server: session.serverName, agent: session.agent) : session.id)
        metrics?.sessionClosed()
    }

    /// The key of the session one agent's stateless requests to `server` share.
    static func statelessKey(server: String, agent: AgentIdentity) -> String {
        "\(server)\u{0}\(agent.id ?? "")"
    }

    /// The stateless session of `agent` at `server`, made (within the session caps) when there is none yet.
    func statelessSession(server: UpstreamConfig, agent: AgentIdentity) -> Result<GatewaySession, SessionQuota.Refusal> {
        let key = Self.statelessKey(server: server.name, agent: agent)
        if let refusal = quota.admit(key: key, agent: agent.id) { return .failure(refusal) }
        return .success(
            registry.stateless(key: key) {
                makeSession(id: "stateless-" + SessionID.make(), server: server, agent: agent, stateless: true)
            }
        )
    }
}

struct GatewayError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Logger {
    func with(_ metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}
