import Synchronization

/// Caps the sessions open at once, in total and per agent, so a client cannot start upstream processes without bound.
///
/// A session is admitted under a key before anything is made for it (for a stateless agent's shared session, the
/// key of that shared session, so admitting it again is free) and released when it ends; releasing a key that was
/// never admitted does nothing, so every way a session ends may release it.
final class SessionQuota: Sendable {
    /// Why a new session was refused.
    struct Refusal: Error, Equatable {
        /// Whether the agent's own allowance ran out (429) rather than the gateway's (503).
        var isPerAgent: Bool
        var message: String
    }

    private struct State {
        var holders: [String: String] = [:]
        var perAgent: [String: Int] = [:]
    }

    let maxTotal: Int
    let maxPerAgent: Int
    private let state = Mutex(State())

    init(maxTotal: Int, maxPerAgent: Int) {
        self.maxTotal = maxTotal
        self.maxPerAgent = maxPerAgent
    }

    /// Counts `key` as a session of `agent`, or says which cap it would pass.
    func admit(key: String, agent: String?) -> Refusal? {
        let agentKey = agent ?? ""
        return state.withLock { state -> Refusal? in
            if state.holders[key] != nil { return nil }
            if state.perAgent[agentKey, default: 0] >= maxPerAgent {
                let who = agent.map { "agent `\($0)` already holds" } ?? "anonymous clients already hold"
                return Refusal(
                    isPerAgent: true,
                    message: "\(who) \(maxPerAgent) open sessions, the most `max_sessions_per_agent` allows; "
                        + "end one (DELETE it) or let it idle out, or raise `max_sessions_per_agent` in the gateway config"
                )
            }
            if state.holders.count >= maxTotal {
                return Refusal(
                    isPerAgent: false,
                    message: "the gateway already holds \(maxTotal) open sessions, the most `max_sessions` allows; "
                        + "try again when one ends, or raise `max_sessions` in the gateway config"
                )
            }
            state.holders[key] = agentKey
            state.perAgent[agentKey, default: 0] += 1
            return nil
        }
    }

    func release(key: String) {
        state.withLock { state in
            guard let agentKey = state.holders.removeValue(forKey: key) else { return }
            let left = state.perAgent[agentKey, default: 1] - 1
            state.perAgent[agentKey] = left > 0 ? left : nil
        }
    }

    var count: Int { state.withLock { $0.holders.count } }
}
