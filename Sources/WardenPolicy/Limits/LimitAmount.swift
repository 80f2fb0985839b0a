/// An amount counted exactly, as a whole number of billionths.
///
/// Binary floating point would refuse a 0.20 charge under a 0.30 budget after a 0.10 one (0.1 + 0.2 > 0.3), and the
/// result of a sum would depend on the order it was added in. Whole billionths are finer than any currency, and 128
/// bits hold any budget up to the 10²⁰ ceiling many times over, so sums are exact and order-free.
struct LimitAmount: Hashable, Comparable, Sendable, AdditiveArithmetic {
    var billionths: Int128

    static let zero = LimitAmount(billionths: 0)

    /// Amounts at or above this are treated as unbounded.
    static let ceiling = 1e20

    init(billionths: Int128) {
        self.billionths = billionths
    }

    /// The cost of a call, or `nil` when it is too large to ever fit (including infinity and NaN); negatives count as zero.
    init?(cost: Double) {
        if cost.isNaN || cost >= Self.ceiling { return nil }
        self.init(billionths: cost <= 0 ? 0 : Int128((cost * 1e9).rounded()))
    }

    /// The `max` of a limit, or `nil` when it never binds; negatives and NaN admit only free calls.
    init?(max: Double) {
        if max >= Self.ceiling { return nil }
        self.init(billionths: max.isNaN || max <= 0 ? 0 : Int128((max * 1e9).rounded()))
    }

    static func < (lhs: LimitAmount, rhs: LimitAmount) -> Bool { lhs.billionths < rhs.billionths }
    static func + (lhs: LimitAmount, rhs: LimitAmount) -> LimitAmount { LimitAmount(billionths: lhs.billionths + rhs.billionths) }
    static func - (lhs: LimitAmount, rhs: LimitAmount) -> LimitAmount { LimitAmount(billionths: lhs.billionths - rhs.billionths) }
}
