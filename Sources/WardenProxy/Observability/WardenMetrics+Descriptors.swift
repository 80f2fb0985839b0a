import Prometheus

/// The metric names, help texts and buckets, in one place so the exposition and the docs cannot drift apart.
extension WardenMetrics {
    /// Upper bounds of the decision histogram: a decision is microseconds, and 10 ms means something went wrong.
    public static let decisionBuckets: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000].map {
        .microseconds($0)
    }

    /// Upper bounds of the upstream histogram, from a fast local tool to a slow remote one.
    public static let upstreamBuckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000].map {
        .microseconds(Int64($0 * 1000))
    }

    static var toolCallsName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "warden",
            metricName: "tool_calls",
            unitName: "total",
            helpText: "tools/call decisions by server, tool (when listed) and decision"
        )
    }

    static var decisionDurationName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "warden",
            metricName: "decision_duration",
            unitName: "seconds",
            helpText: "Time from receiving a tools/call to deciding it, including limit checks and approval waits"
        )
    }

    static var upstreamDurationName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "warden",
            metricName: "upstream_duration",
            unitName: "seconds",
            helpText: "Time from forwarding a tools/call to the upstream's answer, by server and outcome"
        )
    }

    static var activeSessionsName: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "warden", metricName: "active_sessions", unitName: "", helpText: "Open downstream sessions")
    }

    static var pendingApprovalsName: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "warden", metricName: "pending_approvals", unitName: "", helpText: "Calls held for a person right now")
    }

    static var upstreamRestartsName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "warden",
            metricName: "upstream_restarts",
            unitName: "total",
            helpText: "Restarts of upstream server processes"
        )
    }
}
