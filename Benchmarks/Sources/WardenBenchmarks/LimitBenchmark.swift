import Foundation
import WardenPolicy
import WardenStore

/// The cost of one limit check: reserve, record as forwarded, commit — what a rate-limited call pays.
enum LimitBenchmark {
    static func run(store: any LimitStore, calls: Int) async throws -> Statistics {
        var samples: [Double] = []
        samples.reserveCapacity(calls)
        // A window so long nothing expires and a max so high nothing is refused: every call does the full work.
        let request = LimitRequest(key: "bench", max: Double(calls * 2), window: .seconds(86_400), cost: 1)
        var now = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        for _ in 0..<calls {
            now = now + .milliseconds(1)
            let start = monotonicNanoseconds()
            guard case .admitted(let id) = try await store.reserve([request], at: now) else {
                fatalError("the benchmark limit refused a call")
            }
            try await store.forwarded(id, at: now)
            try await store.commit(id)
            samples.append(Double(monotonicNanoseconds() - start))
        }
        return Statistics(samples)
    }
}
