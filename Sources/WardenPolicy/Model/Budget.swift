import WardenJSON

/// At most `max` as the sum of one argument over any `window`-long span of time, counted per `per`.
public struct Budget: Hashable, Sendable {
    /// Where the amount of each call is read, usually `args.amount`.
    public var sum: ValuePath
    public var max: Double
    public var window: Duration
    public var per: LimitScope

    public init(sum: ValuePath, max: Double, window: Duration, per: LimitScope = .session) {
        self.sum = sum
        self.max = max
        self.window = window
        self.per = per
    }

    /// The amount `call` adds to the budget, or nil when the `sum` path is absent or not a number.
    ///
    /// A string holding a number counts as that number, as the server reads it (see `LenientValue`).
    /// Nil is not zero: the caller decides what a call without an amount means, and leaving the argument out
    /// must never be a way around the budget.
    public func amount(in call: ToolCall) -> Double? {
        guard let value = sum.value(in: call), let number = LenientValue.number(value), number.value.isFinite else { return nil }
        return number.value
    }
}
