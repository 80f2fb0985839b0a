import Testing
@testable import WardenProxy

@Suite("Warden's Prometheus metrics")
struct WardenMetricsTests {
    func scrape(_ metrics: WardenMetrics) throws -> PrometheusText {
        try PrometheusText(metrics.exposition())
    }

    @Test("each decision is counted once under its server, tool and decision")
    func countsDecisions() throws {
        let metrics = WardenMetrics()
        for decision in ["allowed", "allowed", "denied"] {
            metrics.recordDecision(server: "files", tool: "read_file", toolIsListed: true, decision: decision, duration: .microseconds(3))
        }
        metrics.recordDecision(server: "mail", tool: "send", toolIsListed: true, decision: "approval_pending", duration: nil)
        let text = try scrape(metrics)
        #expect(text.types["warden_tool_calls_total"] == "counter")
        #expect(text.value("warden_tool_calls_total", ["server": "files", "tool": "read_file", "decision": "allowed"]) == 2)
        #expect(text.value("warden_tool_calls_total", ["server": "files", "tool": "read_file", "decision": "denied"]) == 1)
        #expect(text.value("warden_tool_calls_total", ["server": "mail", "tool": "send", "decision": "approval_pending"]) == 1)
        #expect(text.samples(named: "warden_tool_calls_total").count == 3)
    }

    @Test("a tool the upstream did not list is counted as (unlisted), never under the name the client sent")
    func unlistedToolsShareOneLabel() throws {
        let metrics = WardenMetrics()
        for name in ["made_up", "another\"one\n", String(repeating: "x", count: 300)] {
            metrics.recordDecision(server: "files", tool: name, toolIsListed: false, decision: "denied", duration: nil)
        }
        let text = try scrape(metrics)
        let calls = text.samples(named: "warden_tool_calls_total")
        #expect(calls.map(\.labels["tool"]) == ["(unlisted)"])
        #expect(calls.first?.value == 3)
    }

    @Test("decisions and upstream outcomes outside the fixed vocabulary are counted as other")
    func unknownLabelValuesCollapse() throws {
        let metrics = WardenMetrics()
        metrics.recordDecision(server: "s", tool: "t", toolIsListed: true, decision: "whatever a bug produced", duration: nil)
        metrics.recordDecision(server: "s", tool: "t", toolIsListed: true, decision: "rate_limited", duration: nil)
        metrics.recordUpstream(server: "s", outcome: "surprise", duration: .milliseconds(1))
        let text = try scrape(metrics)
        #expect(text.value("warden_tool_calls_total", ["server": "s", "tool": "t", "decision": "other"]) == 1)
        #expect(text.value("warden_tool_calls_total", ["server": "s", "tool": "t", "decision": "rate_limited"]) == 1)
        #expect(text.value("warden_upstream_duration_seconds_count", ["server": "s", "outcome": "other"]) == 1)
    }

    @Test("every outcome a decision record can carry is its own decision label")
    func everyOutcomeIsALabel() {
        let outcomes: [DecisionRecord.Outcome] = [
            .allowed, .denied, .hidden, .rateLimited, .budgetExceeded, .invalid, .approvalPending, .approvalApproved, .approvalDenied,
            .approvalExpired,
        ]
        for outcome in outcomes {
            #expect(WardenMetrics.decisionLabel(outcome.description) == outcome.description)
        }
    }

    @Test("listed tool names past the label limit are counted as (other)")
    func toolLabelsAreCapped() throws {
        let metrics = WardenMetrics(maxToolLabels: 2)
        for tool in ["a", "b", "c", "d", "a"] {
            metrics.recordDecision(server: "s", tool: tool, toolIsListed: true, decision: "allowed", duration: nil)
        }
        let text = try scrape(metrics)
        let byTool = Dictionary(uniqueKeysWithValues: text.samples(named: "warden_tool_calls_total").map { ($0.labels["tool"] ?? "", $0.value) })
        #expect(byTool == ["a": 2, "b": 1, "(other)": 2])
    }

    @Test("the decision histogram puts each duration in every bucket at or above it, and counts and sums them all")
    func decisionHistogramBuckets() throws {
        let metrics = WardenMetrics()
        for micros in [1, 3, 3, 40, 9_000, 50_000] {
            metrics.recordDecision(server: "s", tool: "t", toolIsListed: true, decision: "allowed", duration: .microseconds(micros))
        }
        let text = try scrape(metrics)
        #expect(text.types["warden_decision_duration_seconds"] == "histogram")
        func bucket(_ le: String) -> Double? { text.value("warden_decision_duration_seconds_bucket", ["le": le]) }
        #expect(bucket("0.000001") == 1)
        #expect(bucket("0.000002") == 1)
        #expect(bucket("0.000005") == 3)
        #expect(bucket("0.00005") == 4)
        #expect(bucket("0.005") == 4)
        #expect(bucket("0.01") == 5)
        #expect(bucket("+Inf") == 6)
        #expect(text.value("warden_decision_duration_seconds_count") == 6)
        let sum = try #require(text.value("warden_decision_duration_seconds_sum"))
        #expect(abs(sum - 0.059047) < 1e-9)
        let bounds = text.samples(named: "warden_decision_duration_seconds_bucket").compactMap { $0.labels["le"].flatMap(Double.init) }
        #expect(bounds.min() == 0.000001 && bounds.filter { $0.isFinite }.max() == 0.01)
    }

    @Test("upstream latency is a histogram per server and outcome, from 1 ms to 60 s")
    func upstreamHistogram() throws {
        let metrics = WardenMetrics()
        metrics.recordUpstream(server: "files", outcome: "result", duration: .microseconds(500))
        metrics.recordUpstream(server: "files", outcome: "result", duration: .seconds(2))
        metrics.recordUpstream(server: "files", outcome: "timeout", duration: .seconds(90))
        let text = try scrape(metrics)
        let result = ["server": "files", "outcome": "result"]
        #expect(text.value("warden_upstream_duration_seconds_bucket", result.merging(["le": "0.001"]) { $1 }) == 1)
        #expect(text.value("warden_upstream_duration_seconds_bucket", result.merging(["le": "2.5"]) { $1 }) == 2)
        #expect(text.value("warden_upstream_duration_seconds_bucket", result.merging(["le": "60.0"]) { $1 }) == 2)
        #expect(text.value("warden_upstream_duration_seconds_count", result) == 2)
        let timeout = ["server": "files", "outcome": "timeout"]
        #expect(text.value("warden_upstream_duration_seconds_bucket", timeout.merging(["le": "60.0"]) { $1 }) == 0)
        #expect(text.value("warden_upstream_duration_seconds_bucket", timeout.merging(["le": "+Inf"]) { $1 }) == 1)
    }

    @Test("sessions, pending approvals and upstream restarts are reported as they change")
    func gaugesAndRestarts() throws {
        let metrics = WardenMetrics()
        metrics.sessionOpened()
        metrics.sessionOpened()
        metrics.sessionClosed()
        metrics.approvalHeld()
        metrics.approvalHeld()
        metrics.approvalSettled()
        metrics.upstreamRestarted(server: "files")
        metrics.upstreamRestarted(server: "files")
        metrics.upstreamRestarted(server: nil)
        var text = try scrape(metrics)
        #expect(text.types["warden_active_sessions"] == "gauge")
        #expect(text.value("warden_active_sessions") == 1)
        #expect(text.value("warden_pending_approvals") == 1)
        #expect(text.types["warden_upstream_restarts_total"] == "counter")
        #expect(text.value("warden_upstream_restarts_total", ["server": "files"]) == 2)
        #expect(text.value("warden_upstream_restarts_total", ["server": ""]) == 1)

        metrics.setPendingApprovals(7)
        text = try scrape(metrics)
        #expect(text.value("warden_pending_approvals") == 7)
    }

    @Test("a fresh instance reports zero sessions and approvals, and two instances never share counts")
    func instancesAreIndependent() throws {
        let first = WardenMetrics()
        let second = WardenMetrics()
        first.recordDecision(server: "s", tool: "t", toolIsListed: true, decision: "allowed", duration: .microseconds(1))
        first.sessionOpened()
        let text = try scrape(second)
        #expect(text.value("warden_active_sessions") == 0)
        #expect(text.value("warden_pending_approvals") == 0)
        #expect(text.value("warden_decision_duration_seconds_count") == 0)
        #expect(text.samples(named: "warden_tool_calls_total").isEmpty)
    }

    @Test("every family in the exposition has help text and a type")
    func familiesAreDescribed() throws {
        let metrics = WardenMetrics()
        metrics.recordDecision(server: "s", tool: "t", toolIsListed: true, decision: "allowed", duration: .microseconds(1))
        metrics.recordUpstream(server: "s", outcome: "result", duration: .milliseconds(1))
        metrics.upstreamRestarted(server: "s")
        let text = try scrape(metrics)
        let expected: Set = [
            "warden_tool_calls_total", "warden_decision_duration_seconds", "warden_upstream_duration_seconds", "warden_active_sessions",
            "warden_pending_approvals", "warden_upstream_restarts_total",
        ]
        #expect(Set(text.types.keys) == expected)
        #expect(Set(text.help.keys) == expected)
    }

    @Test("recording from many tasks at once loses no count")
    func concurrentRecording() async throws {
        let metrics = WardenMetrics()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for call in 0..<500 {
                        metrics.recordDecision(
                            server: "s",
                            tool: "tool\(call % 4)",
                            toolIsListed: true,
                            decision: worker % 2 == 0 ? "allowed" : "denied",
                            duration: .microseconds(call)
                        )
                    }
                }
            }
        }
        let text = try scrape(metrics)
        #expect(text.samples(named: "warden_tool_calls_total").map(\.value).reduce(0, +) == 4_000)
        #expect(text.value("warden_tool_calls_total", ["server": "s", "tool": "tool0", "decision": "denied"]) == 500)
        #expect(text.value("warden_decision_duration_seconds_count") == 4_000)
    }
}
