import WardenTesting
import Testing
import WardenPolicy

struct LimitLedgerPropertyTests {
    /// Limits with small windows, so thousands of steps cross many window boundaries; costs of the budget are
    /// multiples of 0.25, and one cost in fifty is larger than the budget's max.
    static let limits = [
        LimitRequest(key: "rate-a", max: 3, window: .milliseconds(1_000)),
        LimitRequest(key: "rate-b", max: 5, window: .milliseconds(2_500)),
        LimitRequest(key: "budget-c", max: 10, window: .milliseconds(1_500), cost: 0),
        LimitRequest(key: "rate-d", max: 1, window: .milliseconds(300)),
    ]

    @Test(
        "random arrivals, costs, forwards, commits and rollbacks: every verdict matches a brute-force model, and no window ever exceeds max",
        arguments: [1, 2, 3, 42, 2_024] as [UInt64]
    )
    func matchesModel(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        var ledger = LimitLedger()
        var model = LimitModel()
        var open: [(id: ReservationID, call: Int)] = []
        var now: Int64 = 1_700_000_000_000
        var admitted = 0
        var refused = 0

        for _ in 0..<3_000 {
            now += Int64.random(in: 0...120, using: &random) * (Bool.random(using: &random) ? 1 : 0)
            let timestamp = Timestamp(millisecondsSinceEpoch: now)
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<50:
                let requests = randomRequests(using: &random)
                let verdict = ledger.reserve(requests, at: timestamp)
                let expected = model.reserve(requests, at: now)
                try #require(ExpectedVerdict(verdict) == expected.verdict, "at \(now) for \(requests.map(\.key))")
                if let id = verdict.reservation, let call = expected.call {
                    open.append((id, call))
                    admitted += 1
                } else {
                    refused += 1
                    try expectExactRetry(ledger, requests, at: timestamp, verdict: verdict)
                }
            case 50..<72:
                let pending = open.filter { ledger.isPending($0.id) }
                guard let chosen = pending.randomElement(using: &random) else { continue }
                ledger.forwarded(chosen.id, at: timestamp)
                model.forward(chosen.call, at: now)
            case 72..<90:
                guard let index = open.indices.randomElement(using: &random) else { continue }
                let chosen = open.remove(at: index)
                ledger.commit(chosen.id)
                model.commit(chosen.call, latestTime: ledger.latestTime.millisecondsSinceEpoch)
            default:
                guard let index = open.indices.randomElement(using: &random) else { continue }
                let chosen = open.remove(at: index)
                ledger.rollback(chosen.id)
                model.rollback(chosen.call)
            }
        }

        #expect(admitted > 300 && refused > 300, "the run exercised both outcomes (\(admitted) admitted, \(refused) refused)")
        for limit in Self.limits {
            let busiest = model.busiestWindow(key: limit.key, window: limit.window.wholeMilliseconds)
            #expect(busiest <= limit.max, "\(limit.key): \(busiest) in one window")
            #expect(busiest == limit.max, "\(limit.key) was filled at least once, so the bound was tested")
        }
    }

    /// A non-empty subset of the limits in random order, with a random budget amount.
    private func randomRequests(using random: inout SplitMix) -> [LimitRequest] {
        var requests = Self.limits.filter { _ in Bool.random(using: &random) }.shuffled(using: &random)
        if requests.isEmpty { requests = [Self.limits[Int.random(in: 0..<Self.limits.count, using: &random)]] }
        for index in requests.indices where requests[index].key == "budget-c" {
            let tooLarge = Int.random(in: 0..<50, using: &random) == 0
            requests[index].cost = tooLarge ? 10.25 : Double(Int.random(in: 1...16, using: &random)) * 0.25
        }
        return requests
    }

    /// When no pending reservation stands in the way, the call fits at now + retryAfter and not a millisecond before.
    private func expectExactRetry(_ ledger: LimitLedger, _ requests: [LimitRequest], at now: Timestamp, verdict: LimitVerdict) throws {
        guard let retry = verdict.retryAfter else { return }
        try #require(retry > .zero)
        let earliest = now + retry
        if ledger.wouldAdmit(requests, at: earliest) {
            let admittedEarlier = ledger.wouldAdmit(requests, at: earliest - .milliseconds(1))
            try #require(!admittedEarlier, "at \(now) the call already fits 1 ms before its retry time \(retry)")
        } else {
            // Only pending reservations can stand in the way; the model checked the answer for that case.
            try #require(retry >= requests.map(\.window).min()!)
        }
    }
}
