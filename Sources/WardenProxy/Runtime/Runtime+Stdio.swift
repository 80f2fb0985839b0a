import Foundation
import Logging
import ServiceLifecycle
import WardenPolicy

extension Runtime {
    /// Runs `warden run`: the runtime's services, the metrics and console ports if asked for, the policy watcher and
    /// one stdio session, until the session ends. Returns the status to exit with: the child's, or 0.
    public func runStdio(_ stdio: StdioConfiguration) async throws -> Int32 {
        let upstream = try Self.makeUpstream(stdio.upstream)
        let metrics = stdio.metrics.map { _ in WardenMetrics() }
        var services: [any Service] = []
        if let settings = stdio.metrics, let metrics {
            var serverConfiguration = ObservabilityServer.Configuration()
            serverConfiguration.metricsTokenSHA256 = settings.tokenSHA256
            let logger = self.logger
            let stores = self.stores
            let server = ObservabilityServer(
                port: settings.port, metrics: metrics, isReady: { stores.unavailability() == nil }, configuration: serverConfiguration,
                logger: logger
            ) { port in
                logger.notice("metrics at http://127.0.0.1:\(port)/metrics")
            }
            services.append(PortListener(server: server, flag: "--metrics", port: settings.port))
        }
        if let console = stdio.console {
            let server = ConsoleServer(
                port: console.port,
                store: approvals.store,
                pins: PinDesk(keeper: pins),
                tokenSHA256: ConsoleServer.tokenSHA256(of: console.token),
                user: console.user,
                logger: logger
            ) { port in
                // A line a person (or a script) can open.
                FileHandle.standardError.write(Data("warden: approval console at http://127.0.0.1:\(port)/console?token=\(console.token)\n".utf8))
            }
            services.append(PortListener(server: server, flag: "--console", port: console.port))
        }
        let holder = PolicyHolder(CompiledPolicy(stdio.policy))
        services.append(PolicyWatcher(path: stdio.policyPath, holder: holder, logger: logger))

        var sessionLogger = logger
        sessionLogger[metadataKey: "session.id"] = "\(stdio.identity.sessionID)"
        let (identity, limits, approvals, audit, pins, callTimeout) = (stdio.identity, limits, approvals, audit, pins, stdio.callTimeout)
        let maxMessageSize = stdio.proxy.maxMessageSize
        let logger = sessionLogger
        let downstream = StdioDownstream(upstream: upstream, configuration: stdio.proxy, metrics: metrics, logger: sessionLogger) {
            SessionInterceptor(
                policy: holder,
                identity: identity,
                maxMessageSize: maxMessageSize,
                limits: limits,
                approvals: approvals,
                audit: audit,
                pins: pins,
                metrics: metrics,
                callTimeout: callTimeout,
                logger: logger
            )
        }
        services.append(downstream)
        try await run(services)
        return downstream.exitStatus
    }

    /// The upstream of `warden run`; a command is started now, so one that cannot run stops Warden before anything
    /// listens.
    static func makeUpstream(_ choice: StdioConfiguration.UpstreamChoice) throws(RuntimeError) -> StdioProxy.Upstream {
        switch choice.base {
        case .remote(let url, let headers):
            return .remote(url: url, headers: headers)
        case .command(let arguments):
            do {
                return .process(try ChildProcess.spawn(arguments))
            } catch {
                throw RuntimeError(code: .upstreamNotStarted, message: "\(error)")
            }
        }
    }
}
