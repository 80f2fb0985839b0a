public import Logging
public import ServiceLifecycle
import UnixSignals
import WardenStore

/// What every mode of Warden runs, as `Service`s in one `ServiceGroup` with SIGTERM and SIGINT as graceful
/// shutdown signals: the stores and the audit journal's mover, approvals a previous run left pending, audit
/// retention, the approval webhook and the listing in `warden status`, then the services that serve clients.
///
/// A group shuts its services down in the reverse of their order, so the sessions (the last ones) drain first,
/// the listing goes next and the stores close last, after everything that may still write to them.
public struct Runtime: Sendable {
    public let configuration: RuntimeConfiguration
    public let stores: StoreSet
    public let limits: LazyLimitStore
    /// Where held calls wait for a person, announced by the webhook if there is one.
    public let approvals: ApprovalChannel
    /// The audit trail, or nil when none is kept.
    public let audit: LazyAuditStore?
    /// Where tool definitions are pinned, shared by every session of the process.
    public let pins: PinKeeper
    let webhook: WebhookAnnouncer?
    let logger: Logger

    /// Sets the stores up; each is opened on first use, and nothing runs until ``run(_:)``.
    public init(configuration: RuntimeConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        stores = StoreSet(dsn: configuration.store)
        limits = stores.makeLimits()
        webhook = configuration.approvalWebhook.map { WebhookAnnouncer(url: $0, logger: logger) }
        var approvals = ApprovalChannel(store: stores.makeApprovals(), announcer: webhook, instanceID: InstanceID.current)
        approvals.progressInterval = configuration.approvalProgress
        self.approvals = approvals
        let audit = configuration.keepsAudit ? stores.makeAudit() : nil
        self.audit = audit
        let announcer = webhook
        let keeper = PinKeeper(store: stores.makePins(), audit: audit, logger: logger) { record in
            announcer?.announcePinChange(record)
        }
        pins = keeper
        stores.watchPinAcceptances { server in keeper.acceptanceAnnounced(server: server) }
    }

    /// Runs `sessions` (the services that serve clients, the one whose end ends Warden last) after the runtime's
    /// own services, until that last one ends or a signal asks for a graceful shutdown; then every service stops,
    /// in the reverse order.
    public func run(_ sessions: [any Service]) async throws {
        var services = ownServices().map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        for (index, service) in sessions.enumerated() {
            let isLast = index == sessions.count - 1
            services.append(.init(service: service, successTerminationBehavior: isLast ? .gracefullyShutdownGroup : .cancelGroup))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }

    /// Runs `session` as the one service that serves clients (see ``run(_:)``), for a caller with no `Service` of
    /// its own: it should return once graceful shutdown asks it to.
    public func run(until session: @escaping @Sendable () async throws -> Void) async throws {
        try await run([ClosureService(session)])
    }

    /// The runtime's own services, the first to start and the last to stop.
    func ownServices() -> [any Service] {
        var services: [any Service] = []
        if let audit { services.append(AuditJournalMover(audit: audit)) }
        if let webhook { services.append(WebhookAnnouncerService(announcer: webhook, drainTimeout: configuration.webhookDrainTimeout)) }
        if configuration.holdsCalls { services.append(OrphanApprovalExpiry(store: approvals.store, logger: logger)) }
        if let audit, let keep = configuration.auditRetention { services.append(AuditRetention(audit: audit, keep: keep, logger: logger)) }
        services.append(
            Heartbeat(stores: stores, mode: configuration.mode, server: configuration.server, interval: configuration.heartbeatInterval)
        )
        return services
    }
}
