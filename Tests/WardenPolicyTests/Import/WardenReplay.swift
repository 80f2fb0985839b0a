import WardenJSON
import WardenPolicy
import WardenTesting

/// Replays calls through a converted Warden policy as the proxy decides them: hidden first, then the rules, then the
/// limits of the matched rules reserved in a `LimitLedger`, on a fake clock.
struct WardenReplay {
    let policy: Policy
    let compiled: CompiledPolicy
    let time: FakeTime
    private var ledger = LimitLedger()

    init(_ policy: Policy, start: Timestamp) {
        self.policy = policy
        self.compiled = CompiledPolicy(policy)
        self.time = FakeTime(start: start)
    }

    /// Moves the clock to `seconds` since the epoch, then decides a call and, when allowed, forwards and commits it.
    mutating func call(_ tool: String, _ arguments: JSONValue, at seconds: Int64) -> InterceptReference.Outcome {
        let target = Timestamp(secondsSinceEpoch: seconds)
        if target > time.now() { time.sleep(target - time.now()) }
        let now = time.now()
        if compiled.isHidden(tool) { return .hidden }
        let call = ToolCall(tool: tool, arguments: arguments, agentID: "agent", sessionID: "session", server: "upstream", time: now)
        let decision = compiled.decide(call)
        guard decision.action == .allow else { return .deny }
        // The same requests the proxy's limit plan makes; the converter only writes per: global limits.
        var requests: [LimitRequest] = []
        for index in decision.matchedRules {
            let rule = policy.rules[index]
            if let limit = rule.rateLimit {
                guard limit.per == .global else { return .deny }
                requests.append(LimitRequest(key: "rule=\(rule.name)|rate", max: Double(limit.max), window: limit.window))
            }
            if let budget = rule.budget {
                guard budget.per == .global, let amount = budget.amount(in: call), amount >= 0 else { return .deny }
                requests.append(LimitRequest(key: "rule=\(rule.name)|budget", max: budget.max, window: budget.window, cost: amount))
            }
        }
        guard case .admitted(let id) = ledger.reserve(requests, at: now) else { return .deny }
        ledger.forwarded(id, at: now)
        ledger.commit(id)
        return .allow
    }
}
