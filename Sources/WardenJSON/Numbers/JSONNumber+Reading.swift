/// How the JSON readers servers use (Python's `json` and pydantic's parser, JavaScript, Go's `encoding/json`, serde)
/// read a number literal, so a policy judges the value the server will act on.
///
/// They agree on every literal with a fraction or an exponent: each rounds it to the nearest double. They agree on
/// integers that a double holds exactly. They disagree on other integers (Python keeps `1234567890123456789`
/// exact; the others round it to `1234567890123456768`) and on literals beyond the double range (Python reads
/// `1e400` as infinity; Go and serde refuse it).
public enum NumberReading: Sendable, Hashable {
    /// Every reader reads the literal's exact value.
    case exact
    /// Every reader reads this value instead (the double nearest the literal, written out exactly).
    case rounded(JSONNumber)
    /// Readers disagree; the reason says how.
    case ambiguous(String)
}

extension JSONNumber {
    /// How mainstream readers read this literal.
    public var reading: NumberReading {
        let isIntegerForm = !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }
        let double = Double(literal) ?? .nan
        guard double.isFinite else {
            return .ambiguous("the number \(Self.abbreviate(literal)) is beyond the range of a double: some readers take it as infinity, others refuse it")
        }
        if isIntegerForm {
            if let integer = Int64(literal), integer.magnitude <= 1 << 53 { return .exact }
            let nearest = JSONNumber(exactly: double)
            guard nearest == self else {
                return .ambiguous(
                    "the integer \(Self.abbreviate(literal)) is read exactly by some servers (Python) and rounded to \(nearest.literal) by others (JavaScript, Go); send it as a string, or within ±2^53"
                )
            }
            return .exact
        }
        let nearest = JSONNumber(exactly: double)
        return nearest == self ? .exact : .rounded(nearest)
    }

    /// A number whose literal is the exact decimal value of `double` (which must be finite), however many digits
    /// that takes: `1.1` becomes `11000000000000000888178419700125232338905334472656250e-52`.
    public init(exactly double: Double) {
        precondition(double.isFinite, "only finite doubles have an exact decimal value")
        let sign = double.sign == .minus ? "-" : ""
        if double == 0 {
            self.init(literal: sign + "0")
            return
        }
        var significand: UInt64
        var exponent: Int
        if double.exponentBitPattern == 0 {
            significand = double.significandBitPattern
            exponent = -1074
        } else {
            significand = double.significandBitPattern | (1 << 52)
            exponent = Int(double.exponentBitPattern) - 1075
        }
        while exponent < 0 && significand & 1 == 0 {
            significand >>= 1
            exponent += 1
        }
        var digits = BigDigits(significand)
        if exponent >= 0 {
            digits.shiftLeft(by: exponent)
            self.init(literal: sign + digits.decimalText)
        } else {
            // m × 2^-k = m × 5^k × 10^-k
            digits.multiplyByPowerOfFive(-exponent)
            self.init(literal: sign + digits.decimalText + "e-" + String(-exponent))
        }
    }

    private static func abbreviate(_ literal: String) -> String {
        literal.utf8.count <= 40 ? literal : String(literal.prefix(20)) + "…(\(literal.utf8.count) digits)"
    }
}

extension JSONValue {
    /// This value as every mainstream reader reads it: each number with a fraction or exponent replaced by the
    /// double readers round it to. Throws the reason when readers disagree about a number in it.
    ///
    /// Returns the value itself, without copying, when no number needs replacing.
    public func readAsServersDo() throws(NumberAmbiguity) -> JSONValue {
        guard try needsRereading() else { return self }
        return try reread()
    }

    private func needsRereading() throws(NumberAmbiguity) -> Bool {
        switch self {
        case .number(let number):
            switch number.reading {
            case .exact: return false
            case .rounded: return true
            case .ambiguous(let reason): throw NumberAmbiguity(message: reason)
            }
        case .array(let elements):
            var needed = false
            for element in elements where try element.needsRereading() { needed = true }
            return needed
        case .object(let object):
            var needed = false
            for member in object.members where try member.value.needsRereading() { needed = true }
            return needed
        case .null, .bool, .string:
            return false
        }
    }

    private func reread() throws(NumberAmbiguity) -> JSONValue {
        switch self {
        case .number(let number):
            if case .rounded(let nearest) = number.reading { return .number(nearest) }
            return self
        case .array(let elements):
            var copy: [JSONValue] = []
            copy.reserveCapacity(elements.count)
            for element in elements { copy.append(try element.reread()) }
            return .array(copy)
        case .object(let object):
            var members: [JSONObject.Member] = []
            members.reserveCapacity(object.count)
            for member in object.members { members.append((key: member.key, value: try member.value.reread())) }
            return .object(JSONObject(members))
        case .null, .bool, .string:
            return self
        }
    }
}

/// A number that JSON readers read differently, so no policy can know which value a server will act on.
public struct NumberAmbiguity: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}

/// A non-negative integer of any size, little-endian in base 2^32: just enough arithmetic to write a double out.
private struct BigDigits {
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    mutating func shiftLeft(by bits: Int) {
        let whole = bits / 32
        let part = bits % 32
        if part > 0 {
            var carry: UInt32 = 0
            for index in limbs.indices {
                let value = limbs[index]
                limbs[index] = value << part | carry
                carry = value >> (32 - part)
            }
            if carry != 0 { limbs.append(carry) }
        }
        if whole > 0 { limbs.insert(contentsOf: repeatElement(0, count: whole), at: 0) }
    }

    mutating func multiplyByPowerOfFive(_ power: Int) {
        var remaining = power
        while remaining > 0 {
            let step = min(remaining, 13)  // 5^13 fits in 32 bits
            var factor: UInt64 = 1
            for _ in 0..<step { factor *= 5 }
            multiply(by: factor)
            remaining -= step
        }
    }

    private mutating func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * factor + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        while carry != 0 {
            limbs.append(UInt32(truncatingIfNeeded: carry))
            carry >>= 32
        }
    }

    private mutating func trim() {
        while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
    }

    /// Base-10 digits, most significant first.
    var decimalText: String {
        var work = limbs
        var chunks: [UInt32] = []
        while !(work.count == 1 && work[0] == 0) && !work.isEmpty {
            var remainder: UInt64 = 0
            for index in work.indices.reversed() {
                let current = remainder << 32 | UInt64(work[index])
                work[index] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while work.count > 1 && work.last == 0 { work.removeLast() }
            if work.count == 1 && work[0] == 0 { break }
        }
        guard let last = chunks.popLast() else { return "0" }
        var text = String(last)
        for chunk in chunks.reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
