import ArgumentParser
import Foundation
import WardenPolicy
import WardenStore

/// `warden bench-limits`: how fast a store reserves, forwards and commits limited calls, for the README's figures.
///
/// Hidden from help: it measures, it does not protect anything. Each of `--workers` tasks reserves a call under one
/// shared rate limit (`--max` a second), marks an admitted call forwarded and commits it, as a limited `tools/call`
/// does, for `--seconds`; the output is one line: calls per second (admitted or refused) and the latency of one
/// call's store work. A store that replays a key's live entries (PostgreSQL) costs more as `--max` grows.
struct BenchLimitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-limits",
        abstract: "Measure a limit store: reservations per second and the store's share of a limited call's latency.",
        shouldDisplay: false
    )

    @Option(name: .long, help: "The store: memory:, sqlite:PATH or postgres://….") var store: String
    @Option(name: .long, help: "Seconds to run.") var seconds: Double = 5
    @Option(name: .long, help: "Concurrent callers.") var workers: Int = 1
    @Option(name: .long, help: "The rate limit's max, per second.") var max: Double = 1e9

    func run() async throws {
        let dsn = try StoreDSN(parsing: store)
        let limits = try dsn.makeLimitStore()
        let request = LimitRequest(key: "bench:\(UUID().uuidString)", max: max, window: .seconds(1))
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int64(seconds * 1000))
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for _ in 0..<Swift.max(workers, 1) {
                group.addTask {
                    var latencies: [Duration] = []
                    while clock.now < end {
                        let began = clock.now
                        let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
                        if case .admitted(let id) = try await limits.reserve([request], at: now) {
                            try await limits.forwarded(id, at: now)
                            try await limits.commit(id)
                        }
                        latencies.append(clock.now - began)
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }.sorted()
        }
        guard !latencies.isEmpty else { throw ValidationError("no call completed") }
        func percentile(_ p: Double) -> String {
            let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            return String(format: "%.0f", Double(value.components.attoseconds) / 1e12 + Double(value.components.seconds) * 1e6)
        }
        let rate = Double(latencies.count) / seconds
        print("\(dsn.kind)\tworkers=\(workers)\tcalls/s=\(Int(rate))\tp50_us=\(percentile(0.5))\tp99_us=\(percentile(0.99))")
    }
}
