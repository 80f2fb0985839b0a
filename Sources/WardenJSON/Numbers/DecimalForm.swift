/// A JSON number literal taken apart into sign, significant digits and exponent, read in place from its bytes.
///
/// The value is `0.d₁d₂…dₙ × 10^exponent` with `d₁` and `dₙ` non-zero, which is unique for every non-zero value, so
/// two literals are equal exactly when their parts are, and order by sign, then exponent, then digits.
struct DecimalForm {
    /// Which way two values compare.
    enum Order: Equatable {
        case less, equal, greater

        var reversed: Order {
            switch self {
            case .less: .greater
            case .equal: .equal
            case .greater: .less
            }
        }
    }

    private let bytes: UnsafeRawBufferPointer
    private let isNegative: Bool
    /// From the first to the last non-zero digit (possibly spanning the `.`); empty when the value is zero.
    private let significand: Range<Int>
    private let exponent: DecimalExponent

    private var isZero: Bool { significand.isEmpty }

    /// Takes `bytes` apart, or returns nil unless they are one number in RFC 8259's grammar (leading zeros allowed).
    init?(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var index = 0
        let isNegative = count > 0 && bytes[0] == UInt8(ascii: "-")
        if isNegative { index = 1 }
        let integer = Self.digits(in: bytes, from: &index)
        guard !integer.isEmpty else { return nil }
        var fraction = index..<index
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = Self.digits(in: bytes, from: &index)
            guard !fraction.isEmpty else { return nil }
        }
        var exponentIsNegative = false
        var exponentDigits = index..<index
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentIsNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            exponentDigits = Self.digits(in: bytes, from: &index)
            guard !exponentDigits.isEmpty else { return nil }
        }
        guard index == count else { return nil }

        self.bytes = bytes
        self.isNegative = isNegative
        let zero = UInt8(ascii: "0")
        // The first non-zero digit, and how many digits of integer-then-fraction come before it.
        let first: Int
        let digitsBefore: Int
        if let inInteger = integer.first(where: { bytes[$0] != zero }) {
            (first, digitsBefore) = (inInteger, inInteger - integer.lowerBound)
        } else if let inFraction = fraction.first(where: { bytes[$0] != zero }) {
            (first, digitsBefore) = (inFraction, integer.count + inFraction - fraction.lowerBound)
        } else {
            significand = 0..<0
            exponent = .small(0)
            return
        }
        let last = fraction.reversed().first { bytes[$0] != zero } ?? integer.reversed().first { bytes[$0] != zero } ?? first
        significand = first..<(last + 1)
        exponent = DecimalExponent(
            isNegative: exponentIsNegative,
            digits: UnsafeRawBufferPointer(rebasing: bytes[exponentDigits]),
            adding: integer.count - digitsBefore
        )
    }

    private static func digits(in bytes: UnsafeRawBufferPointer, from index: inout Int) -> Range<Int> {
        let start = index
        while index < bytes.count, JSONReader.isDigit(bytes[index]) { index += 1 }
        return start..<index
    }

    /// How `lhs` compares with `rhs` as exact decimal values.
    static func compare(_ lhs: DecimalForm, _ rhs: DecimalForm) -> Order {
        let (left, right) = (lhs.signum, rhs.signum)
        if left != right { return left < right ? .less : .greater }
        if left == 0 { return .equal }
        var order = DecimalExponent.compare(lhs.exponent, rhs.exponent)
        if order == .equal { order = compareDigits(lhs, rhs) }
        return lhs.isNegative ? order.reversed : order
    }

    /// Whether the value has no fractional part: zero, or at least as many places before the point as digits.
    var isIntegral: Bool {
        guard !isZero else { return true }
        let digitCount = significand.count - (bytes[significand].contains(UInt8(ascii: ".")) ? 1 : 0)
        switch exponent {
        case .small(let places): return places >= digitCount
        case .large(let isNegative, _): return !isNegative
        }
    }

    private var signum: Int { isZero ? 0 : (isNegative ? -1 : 1) }

    /// Compares the significant digits as `0.d₁d₂…`; the shorter run is the smaller when it is a prefix, since the
    /// longer one ends in a non-zero digit.
    private static func compareDigits(_ lhs: DecimalForm, _ rhs: DecimalForm) -> Order {
        var left = lhs.significand.lowerBound
        var right = rhs.significand.lowerBound
        while true {
            if left < lhs.significand.upperBound, lhs.bytes[left] == UInt8(ascii: ".") { left += 1 }
            if right < rhs.significand.upperBound, rhs.bytes[right] == UInt8(ascii: ".") { right += 1 }
            let leftEnded = left >= lhs.significand.upperBound
            let rightEnded = right >= rhs.significand.upperBound
            if leftEnded || rightEnded { return leftEnded == rightEnded ? .equal : (leftEnded ? .less : .greater) }
            let (a, b) = (lhs.bytes[left], rhs.bytes[right])
            if a != b { return a < b ? .less : .greater }
            left += 1
            right += 1
        }
    }

    /// Feeds exactly what `compare` looks at, so equal values hash alike.
    func hash(into hasher: inout Hasher) {
        guard !isZero else {
            hasher.combine(0 as UInt8)
            return
        }
        hasher.combine(isNegative ? 1 as UInt8 : 2)
        for index in significand where bytes[index] != UInt8(ascii: ".") { hasher.combine(bytes[index]) }
        hasher.combine(exponent)
    }
}

/// A decimal exponent of any size: an `Int` when it has at most 18 digits, otherwise its digits.
///
/// A literal may write `1e99999999999999999999999`; such exponents are rare, so only they pay for an array.
enum DecimalExponent: Hashable {
    case small(Int)
    /// More than 18 digits (0…9, most significant first, no leading zeros), so it never equals a `.small`.
    case large(isNegative: Bool, magnitude: [UInt8])

    /// The exponent written with `digits` (ASCII), plus `offset`.
    init(isNegative: Bool, digits: UnsafeRawBufferPointer, adding offset: Int) {
        let significant = digits.drop { $0 == UInt8(ascii: "0") }
        if significant.count <= 18 {
            var value = 0
            for digit in significant { value = value * 10 + Int(digit - 0x30) }
            // |value| < 10^18 and |offset| is at most a literal's length, so this cannot overflow.
            self = .small((isNegative ? -value : value) + offset)
            return
        }
        let magnitude = significant.map { $0 - 0x30 }
        let offsetMagnitude = String(offset.magnitude).utf8.map { $0 - 0x30 }
        if offset == 0 || (offset < 0) == isNegative {
            self = Self.normalized(isNegative: isNegative, magnitude: Self.add(magnitude, offsetMagnitude))
        } else if Self.compareMagnitudes(magnitude, offsetMagnitude) != .less {
            self = Self.normalized(isNegative: isNegative, magnitude: Self.subtract(offsetMagnitude, from: magnitude))
        } else {
            self = Self.normalized(isNegative: !isNegative, magnitude: Self.subtract(magnitude, from: offsetMagnitude))
        }
    }

    static func compare(_ lhs: DecimalExponent, _ rhs: DecimalExponent) -> DecimalForm.Order {
        switch (lhs, rhs) {
        case (.small(let left), .small(let right)):
            return left < right ? .less : (left == right ? .equal : .greater)
        case (.large(let isNegative, _), .small):
            return isNegative ? .less : .greater
        case (.small, .large(let isNegative, _)):
            return isNegative ? .greater : .less
        case (.large(let leftNegative, let left), .large(let rightNegative, let right)):
            if leftNegative != rightNegative { return leftNegative ? .less : .greater }
            let order = compareMagnitudes(left, right)
            return leftNegative ? order.reversed : order
        }
    }

    private static func normalized(isNegative: Bool, magnitude: [UInt8]) -> DecimalExponent {
        let digits = Array(magnitude.drop { $0 == 0 })
        guard digits.count <= 18 else { return .large(isNegative: isNegative, magnitude: digits) }
        let value = digits.reduce(0) { $0 * 10 + Int($1) }
        return .small(isNegative ? -value : value)
    }

    private static func compareMagnitudes(_ lhs: [UInt8], _ rhs: [UInt8]) -> DecimalForm.Order {
        let left = lhs.drop { $0 == 0 }
        let right = rhs.drop { $0 == 0 }
        if left.count != right.count { return left.count < right.count ? .less : .greater }
        for (a, b) in zip(left, right) where a != b { return a < b ? .less : .greater }
        return .equal
    }

    private static func add(_ lhs: [UInt8], _ rhs: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var carry: UInt8 = 0
        var (left, right) = (lhs.count - 1, rhs.count - 1)
        while left >= 0 || right >= 0 || carry > 0 {
            var sum = carry
            if left >= 0 { sum += lhs[left] }
            if right >= 0 { sum += rhs[right] }
            result.append(sum % 10)
            carry = sum / 10
            left -= 1
            right -= 1
        }
        return result.reversed()
    }

    /// `minuend - subtrahend`, where the minuend is not the smaller.
    private static func subtract(_ subtrahend: [UInt8], from minuend: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var borrow: Int = 0
        var right = subtrahend.count - 1
        for left in stride(from: minuend.count - 1, through: 0, by: -1) {
            var difference = Int(minuend[left]) - borrow - (right >= 0 ? Int(subtrahend[right]) : 0)
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 10 }
            result.append(UInt8(difference))
            right -= 1
        }
        return result.reversed()
    }
}

/// A number as `JSONNumber` compares it: an exact decimal, or one of the values a `Double` has and JSON does not.
enum ExactValue {
    case negativeInfinity
    case finite(DecimalForm)
    case positiveInfinity
    case notANumber

    /// The order of `lhs` and `rhs`, or nil when either is NaN (which equals nothing, and is neither less nor more).
    static func compare(_ lhs: ExactValue, _ rhs: ExactValue) -> DecimalForm.Order? {
        switch (lhs, rhs) {
        case (.notANumber, _), (_, .notANumber): return nil
        case (.finite(let left), .finite(let right)): return DecimalForm.compare(left, right)
        default:
            let (left, right) = (lhs.rank, rhs.rank)
            return left < right ? .less : (left == right ? .equal : .greater)
        }
    }

    private var rank: Int {
        switch self {
        case .negativeInfinity: 0
        case .finite: 1
        case .positiveInfinity: 2
        case .notANumber: 3
        }
    }

    func hash(into hasher: inout Hasher) {
        if case .finite(let decimal) = self {
            decimal.hash(into: &hasher)
        } else {
            hasher.combine(10 + rank)
        }
    }
}
