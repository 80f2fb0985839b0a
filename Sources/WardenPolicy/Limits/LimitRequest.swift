/// One limit a call is subject to: at most `max` total cost in any `window`-long span of time, counted under `key`.
///
/// A rate limit is a request with `cost` 1; a budget's cost is the call's amount. The key names the counter (the rule
/// and whatever it is counted per, such as the agent), so calls that share a key share the limit, and a policy reload
/// that keeps the key keeps the count.
///
/// Amounts are counted exactly in billionths, so decimal budgets add up as people expect (0.10 + 0.20 fits in 0.30).
/// A negative cost counts as zero: a negative amount must never make room for other calls. A cost that is not a number
/// is refused as too large. A `max` of infinity (or 10²⁰ and above) never binds; a negative `max` admits only free calls.
/// The window is counted in whole milliseconds.
public struct LimitRequest: Sendable, Hashable {
    public var key: String
    public var max: Double
    public var window: Duration
    public var cost: Double

    public init(key: String, max: Double, window: Duration, cost: Double = 1) {
        self.key = key
        self.max = max
        self.window = window
        self.cost = cost
    }
}
