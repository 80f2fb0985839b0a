/// A number literal as `digits × 10^exponent` with no trailing zeros in `digits`, for exact `multipleOf`.
///
/// Through `Double`, `0.0075` is not a multiple of `0.0001` and `1e308` overflows a division; in decimal both are
/// plain integer arithmetic, so a client cannot slip a value past `multipleOf` on a rounding error.
struct DecimalLiteral: Hashable, Sendable {
    /// The significant digits (ASCII), no leading or trailing zeros; empty for zero.
    let digits: [UInt8]
    let exponent: Int

    var isZero: Bool { digits.isEmpty }

    /// Takes a JSON number literal apart; nil for anything else or an exponent too large to hold.
    init?(_ literal: String) {
        var bytes = Array(literal.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var mantissa: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                mantissa.append(byte)
                if seenPoint { fractionDigits += 1 }
            }
        }
        guard !mantissa.isEmpty else { return nil }
        var written = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            guard let value = Int(String(decoding: bytes, as: UTF8.self)), value.magnitude < 1 << 40 else { return nil }
            written = value
        }
        let leading = mantissa.prefix { $0 == UInt8(ascii: "0") }.count
        mantissa.removeFirst(leading)
        let trailing = mantissa.reversed().prefix { $0 == UInt8(ascii: "0") }.count
        mantissa.removeLast(trailing)
        digits = mantissa
        exponent = mantissa.isEmpty ? 0 : written - fractionDigits + trailing
    }

    /// Whether `self / divisor` is an integer; nil when the divisor has too many digits to decide exactly.
    func isMultiple(of divisor: DecimalLiteral) -> Bool? {
        if isZero { return true }
        guard !divisor.isZero, divisor.digits.count <= 18 else { return nil }
        // self / divisor = (D / d) × 10^(e - f). Neither D nor d ends in 0, so a negative power leaves a fraction.
        let shift = exponent - divisor.exponent
        guard shift >= 0 else { return false }
        let modulus = divisor.digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }
        var remainder: UInt64 = 0
        for digit in digits { remainder = (remainder * 10 + UInt64(digit - UInt8(ascii: "0"))) % modulus }
        return Self.multiply(remainder, Self.power(10, shift, modulus), modulus) == 0
    }

    private static func multiply(_ a: UInt64, _ b: UInt64, _ modulus: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return modulus.dividingFullWidth((product.high, product.low)).remainder
    }

    private static func power(_ base: UInt64, _ exponent: Int, _ modulus: UInt64) -> UInt64 {
        var result: UInt64 = 1 % modulus
        var base = base % modulus
        var exponent = exponent
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base, modulus) }
            base = multiply(base, base, modulus)
            exponent >>= 1
        }
        return result
    }
}
