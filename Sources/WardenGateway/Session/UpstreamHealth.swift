import NIOCore
import Synchronization
import WardenProxy

/// The restart backoff of every session whose upstream is failing, for `/readyz` and `/metrics`.
///
/// Sessions report a failure (with when they will try again) and forget it once their upstream serves a request
/// or they end, so what is here is exactly the upstreams that are down or just came back without serving yet.
final class UpstreamHealth: Sendable {
    struct Entry: Sendable {
        var server: String
        var failures: Int
        var retryAt: NIODeadline
    }

    /// One server's summary: sessions backing off, the longest run of failures and the latest retry among them.
    struct Summary: Sendable, Equatable {
        var sessions: Int
        var maxFailures: Int
        var retryInMilliseconds: Int64
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let metrics: WardenMetrics?

    init(metrics: WardenMetrics?) {
        self.metrics = metrics
    }

    func update(session: String, server: String, failures: Int, retryAt: NIODeadline) {
        entries.withLock { $0[session] = Entry(server: server, failures: failures, retryAt: retryAt) }
    }

    func remove(session: String) {
        _ = entries.withLock { $0.removeValue(forKey: session) }
    }

    /// An upstream was started again after it failed.
    func restarted(server: String) {
        metrics?.upstreamRestarted(server: server)
    }

    /// Each server with a failing upstream, by name.
    func summary(now: NIODeadline = .now()) -> [String: Summary] {
        entries.withLock { entries in
            var result: [String: Summary] = [:]
            for entry in entries.values {
                var summary = result[entry.server] ?? Summary(sessions: 0, maxFailures: 0, retryInMilliseconds: 0)
                summary.sessions += 1
                summary.maxFailures = max(summary.maxFailures, entry.failures)
                summary.retryInMilliseconds = max(summary.retryInMilliseconds, max(0, (entry.retryAt - now).nanoseconds / 1_000_000))
                result[entry.server] = summary
            }
            return result
        }
    }

    /// The `/readyz` lines after `ready`: one per server whose upstream is failing.
    func readinessLines(now: NIODeadline = .now()) -> [String] {
        summary(now: now).sorted { $0.key < $1.key }.map { server, summary in
            "upstream \(server): backing off in \(summary.sessions) session(s), \(summary.maxFailures) failure(s) in a row, "
                + "next start in \(summary.retryInMilliseconds) ms"
        }
    }

    /// Prometheus text for the backoff state, one gauge series per server with a failing upstream.
    func exposition(servers: [String], now: NIODeadline = .now()) -> String {
        let summary = self.summary(now: now)
        var text = "# HELP warden_upstream_backoff_sessions Sessions whose upstream failed and has not served a request since.\n"
        text += "# TYPE warden_upstream_backoff_sessions gauge\n"
        for server in servers { text += "warden_upstream_backoff_sessions{server=\"\(server)\"} \(summary[server]?.sessions ?? 0)\n" }
        text += "# HELP warden_upstream_consecutive_failures The longest run of upstream failures in a row among a server's sessions.\n"
        text += "# TYPE warden_upstream_consecutive_failures gauge\n"
        for server in servers { text += "warden_upstream_consecutive_failures{server=\"\(server)\"} \(summary[server]?.maxFailures ?? 0)\n" }
        return text
    }
}
