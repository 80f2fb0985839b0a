public import Prometheus

/// Warden's Prometheus metrics, kept in a registry of its own (nothing global), served at `/metrics`.
///
/// Label values come from bounded sets: the decision kinds, upstream outcomes, configured server names, and tool
/// names only when the upstream listed them (anything else is `(unlisted)`), so a client cannot grow the series.
public final class WardenMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let decisionDuration: DurationHistogram
    private let activeSessions: Gauge
    private let pendingApprovals: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        decisionDuration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "warden",
                metricName: "decision_duration",
                unitName: "seconds",
                helpText: "Time from receiving a tools/call to deciding it, including limit and approval waits"
            ),
            labels: [],
            buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 10_000].map { .microseconds($0) }
                + [.milliseconds(100), .seconds(1), .seconds(60)]
        )
        activeSessions = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "warden", metricName: "active_sessions", unitName: "", helpText: "Open downstream sessions"),
            labels: []
        )
        pendingApprovals = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "warden",
                metricName: "pending_approvals",
                unitName: "",
                helpText: "Calls held for a person right now"
            ),
            labels: []
        )
    }

    /// Counts one decision about a call to `tool`.
    public func recordDecision(server: String?, tool: String, toolIsListed: Bool, decision: String, duration: Duration?) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "warden",
                metricName: "tool_calls",
                unitName: "total",
                helpText: "tools/call decisions by server, tool and decision"
            ),
            labels: [("server", server ?? ""), ("tool", toolIsListed ? tool : "(unlisted)"), ("decision", decision)]
        ).increment()
        if let duration { decisionDuration.record(duration) }
    }

    /// Counts one answer (or failure) of the upstream and how long it took.
    public func recordUpstream(server: String?, outcome: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "warden",
                metricName: "upstream_duration",
                unitName: "seconds",
                helpText: "Time from forwarding a tools/call to the upstream's answer"
            ),
            labels: [("server", server ?? ""), ("outcome", outcome)],
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10), .seconds(60)]
        ).record(duration)
    }

    public func sessionOpened() { activeSessions.increment() }
    public func sessionClosed() { activeSessions.decrement() }
    public func approvalHeld() { pendingApprovals.increment() }
    public func approvalSettled() { pendingApprovals.decrement() }

    /// Counts a restart of an upstream process.
    public func upstreamRestarted(server: String?) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "warden", metricName: "upstream_restarts", unitName: "total", helpText: "Upstream restarts"),
            labels: [("server", server ?? "")]
        ).increment()
    }

    /// Everything in the Prometheus text format.
    public func exposition() -> String {
        registry.emitToString()
    }
}
