import WardenPolicy

/// A brute-force restatement of the limit semantics, to check the ledger's every verdict against.
///
/// It keeps every call that was not rolled back, forever, and answers each question from the definition: what counts
/// in the window ending at `t`, and the earliest `t` at which a call fits, found by trying every time at which
/// anything could change. Costs in the property test are multiples of 0.25, so plain `Double` sums are exact here.
struct LimitModel {
    struct Call {
        var requests: [LimitRequest]
        var reservedAt: Int64
        var forwardedAt: Int64?
        var isSettled = false
    }

    /// How a pending call is counted when asking when a call fits: as staying forever, or as forwarded at `now`.
    enum PendingCounting { case forever, forwardedAt(Int64) }

    private(set) var calls: [Int: Call] = [:]
    private var nextCall = 0

    /// The cost that counts under `key` at time `t`, for a limit with `window`.
    func used(key: String, window: Int64, at t: Int64, pending: PendingCounting) -> Double {
        var total = 0.0
        for call in calls.values {
            for request in call.requests where request.key == key {
                let time: Int64?
                switch (call.forwardedAt, pending) {
                case (let forwardedAt?, _): time = forwardedAt
                case (nil, .forever): time = nil
                case (nil, .forwardedAt(let now)): time = now
                }
                if let time, time <= t - window { continue }
                total += max(request.cost, 0)
            }
        }
        return total
    }

    /// Whether `requests` fit at `t`, each seeing the earlier ones with the same key.
    func fits(_ requests: [LimitRequest], at t: Int64, pending: PendingCounting) -> Bool {
        for (index, request) in requests.enumerated() {
            let earlier = requests[..<index].filter { $0.key == request.key }.reduce(0.0) { $0 + max($1.cost, 0) }
            let window = request.window.wholeMilliseconds
            if used(key: request.key, window: window, at: t, pending: pending) + earlier + max(request.cost, 0) > request.max {
                return false
            }
        }
        return true
    }

    /// The verdict the ledger must give, and the call number to track if it is admitted.
    mutating func reserve(_ requests: [LimitRequest], at now: Int64) -> (verdict: ExpectedVerdict, call: Int?) {
        for (index, request) in requests.enumerated() {
            let sameKey = requests[...index].filter { $0.key == request.key }.reduce(0.0) { $0 + max($1.cost, 0) }
            if sameKey > request.max { return (.refused(limitIndex: index, retryAfter: nil), nil) }
        }
        if fits(requests, at: now, pending: .forever) {
            calls[nextCall] = Call(requests: requests, reservedAt: now)
            nextCall += 1
            return (.admitted, nextCall - 1)
        }
        let refusing = requests.indices.first { !fits(Array(requests[...$0]), at: now, pending: .forever) } ?? 0
        let retry = earliestFit(requests, at: now, pending: .forever) ?? earliestFit(requests, at: now, pending: .forwardedAt(now))
        return (.refused(limitIndex: refusing, retryAfter: retry.map { .milliseconds($0 - now) }), nil)
    }

    /// Tries every time at which a window's contents change.
    private func earliestFit(_ requests: [LimitRequest], at now: Int64, pending: PendingCounting) -> Int64? {
        var candidates: Set<Int64> = [now]
        for request in requests {
            let window = request.window.wholeMilliseconds
            candidates.insert(now + window)
            for call in calls.values {
                if let forwardedAt = call.forwardedAt { candidates.insert(forwardedAt + window) }
            }
        }
        return candidates.filter { $0 >= now }.sorted().first { fits(requests, at: $0, pending: pending) }
    }

    mutating func forward(_ call: Int, at now: Int64) {
        guard calls[call]?.forwardedAt == nil else { return }
        calls[call]?.forwardedAt = now
    }

    mutating func commit(_ call: Int, latestTime: Int64) {
        if calls[call]?.forwardedAt == nil { calls[call]?.forwardedAt = latestTime }
        calls[call]?.isSettled = true
    }

    mutating func rollback(_ call: Int) {
        calls[call] = nil
    }

    /// The largest total cost forwarded under `key` in any `window`-long interval (each such interval's calls are a
    /// subset of those in the interval that starts at its earliest call).
    func busiestWindow(key: String, window: Int64) -> Double {
        let forwarded = calls.values.flatMap { call in
            call.requests.filter { $0.key == key }.compactMap { request in call.forwardedAt.map { ($0, max(request.cost, 0)) } }
        }
        return forwarded.map { first in
            forwarded.filter { $0.0 >= first.0 && $0.0 < first.0 + window }.reduce(0.0) { $0 + $1.1 }
        }.max() ?? 0
    }
}

/// A verdict without the reservation identifier, which the model cannot know.
enum ExpectedVerdict: Equatable {
    case admitted
    case refused(limitIndex: Int, retryAfter: Duration?)

    init(_ verdict: LimitVerdict) {
        switch verdict {
        case .admitted: self = .admitted
        case .refused(let limitIndex, let retryAfter): self = .refused(limitIndex: limitIndex, retryAfter: retryAfter)
        }
    }
}
