public import Prometheus
import Synchronization

/// Warden's Prometheus metrics, kept in a registry of its own and served at `/metrics`.
///
/// Nothing here touches the global `MetricsSystem`: tests build several instances side by side, and the CLI may
/// still route swift-metrics into the same registry with ``makeMetricsFactory()`` if it wants to.
///
/// | name | type | labels |
/// | --- | --- | --- |
/// | `warden_tool_calls_total` | counter | `server`, `tool`, `decision` |
/// | `warden_decision_duration_seconds` | histogram, 1 µs … 10 ms | none |
/// | `warden_upstream_duration_seconds` | histogram, 1 ms … 60 s | `server`, `outcome` |
/// | `warden_active_sessions` | gauge | none |
/// | `warden_pending_approvals` | gauge | none |
/// | `warden_upstream_restarts_total` | counter | `server` |
///
/// Every label value comes from a bounded set, so no client can grow the number of series: `decision` and `outcome`
/// are fixed vocabularies (anything else counts as `other`), `server` is the operator's configured name, and `tool`
/// is the tool's name only when the upstream listed it, `(unlisted)` otherwise, and `(other)` once
/// ``maxToolLabels`` names are in use.
public final class WardenMetrics: Sendable {
    /// The registry the metrics live in, for callers that want to add their own.
    public let registry: PrometheusCollectorRegistry
    /// How many distinct tool names may become label values; an upstream that lists more cannot grow the series.
    public let maxToolLabels: Int

    private let decisionDuration: DurationHistogram
    private let activeSessions: Gauge
    private let pendingApprovals: Gauge
    /// Labeled series already made, so recording is one lock and one lookup rather than a registry search.
    private let series = Mutex(SeriesCache())

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), maxToolLabels: Int = 1_000) {
        self.registry = registry
        self.maxToolLabels = maxToolLabels
        decisionDuration = registry.makeDurationHistogram(descriptor: Self.decisionDurationName, buckets: Self.decisionBuckets)
        activeSessions = registry.makeGauge(descriptor: Self.activeSessionsName)
        pendingApprovals = registry.makeGauge(descriptor: Self.pendingApprovalsName)
    }

    /// Counts one decision about a call to `tool` and, when given, how long deciding took.
    ///
    /// `toolIsListed` says whether the upstream listed `tool`; only then does the name become a label value.
    public func recordDecision(server: String?, tool: String, toolIsListed: Bool, decision: String, duration: Duration?) {
        let counter = series.withLock { cache in
            let key = SeriesCache.CallKey(
                server: server ?? "",
                tool: toolLabel(tool, isListed: toolIsListed, in: &cache),
                decision: Self.decisionLabel(decision)
            )
            if let counter = cache.calls[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.toolCallsName,
                labels: [("server", key.server), ("tool", key.tool), ("decision", key.decision)]
            )
            cache.calls[key] = counter
            return counter
        }
        counter.increment()
        if let duration { decisionDuration.record(duration) }
    }

    /// Records how long the upstream took to answer a forwarded call, and how it ended.
    public func recordUpstream(server: String?, outcome: String, duration: Duration) {
        let histogram = series.withLock { cache in
            let key = SeriesCache.UpstreamKey(server: server ?? "", outcome: Self.outcomeLabel(outcome))
            if let histogram = cache.upstream[key] { return histogram }
            let histogram = registry.makeDurationHistogram(
                descriptor: Self.upstreamDurationName,
                labels: [("server", key.server), ("outcome", key.outcome)],
                buckets: Self.upstreamBuckets
            )
            cache.upstream[key] = histogram
            return histogram
        }
        histogram.record(duration)
    }

    /// Counts a restart of an upstream server's process.
    public func upstreamRestarted(server: String?) {
        let counter = series.withLock { cache in
            let server = server ?? ""
            if let counter = cache.restarts[server] { return counter }
            let counter = registry.makeCounter(descriptor: Self.upstreamRestartsName, labels: [("server", server)])
            cache.restarts[server] = counter
            return counter
        }
        counter.increment()
    }

    /// Counts a downstream session that opened; pair each with ``sessionClosed()``.
    public func sessionOpened() { activeSessions.increment() }

    /// Counts a downstream session that ended.
    public func sessionClosed() { activeSessions.decrement() }

    /// Sets the number of calls waiting for a person, for owners that know the whole count (a store, a gateway).
    public func setPendingApprovals(_ count: Int) { pendingApprovals.set(to: Double(count)) }

    /// Counts one more call waiting for a person, for a session that only sees its own calls.
    public func approvalHeld() { pendingApprovals.increment() }

    /// Counts a held call that was approved, refused, expired or abandoned.
    public func approvalSettled() { pendingApprovals.decrement() }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> String {
        registry.emitToString()
    }

    /// The exposition as bytes, for the HTTP endpoint to send without a detour through `String`.
    func expositionBytes() -> [UInt8] {
        registry.emitToBuffer()
    }

    /// A swift-metrics factory over the same registry, for a process that bootstraps `MetricsSystem` itself.
    public func makeMetricsFactory() -> PrometheusMetricsFactory {
        PrometheusMetricsFactory(registry: registry)
    }

    /// The tool label: the name when the upstream listed it and there is room, a placeholder otherwise.
    private func toolLabel(_ tool: String, isListed: Bool, in cache: inout SeriesCache) -> String {
        guard isListed else { return Self.unlistedTool }
        if cache.toolLabels.contains(tool) { return tool }
        guard cache.toolLabels.count < maxToolLabels else { return Self.otherTool }
        cache.toolLabels.insert(tool)
        return tool
    }
}
