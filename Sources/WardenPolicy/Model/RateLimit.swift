/// At most `max` calls in any `window`-long span of time, counted per `per`.
public struct RateLimit: Hashable, Sendable {
    public var max: Int
    public var window: Duration
    public var per: LimitScope

    public init(max: Int, window: Duration, per: LimitScope = .session) {
        self.max = max
        self.window = window
        self.per = per
    }
}
