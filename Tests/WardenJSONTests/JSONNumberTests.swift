import Testing
import WardenJSON
import WardenTesting

struct JSONNumberTests {
    @Test("integers beyond a Double's precision compare exactly")
    func bigIntegersCompareExactly() {
        let small = JSONNumber(literal: "1234567890123456789")
        let large = JSONNumber(literal: "1234567890123456889")
        #expect(small != large)
        #expect(small < large)
        #expect(!(large < small))
        #expect(JSONValue.number(small) != JSONValue.number(large))
        #expect(JSONNumber(literal: "123456789012345678901234567890") < JSONNumber(literal: "123456789012345678901234567891"))
        #expect(JSONNumber(literal: "-123456789012345678901234567891") < JSONNumber(literal: "-123456789012345678901234567890"))
    }

    @Test(
        "different spellings of one value are equal and hash alike",
        arguments: [
            ["1", "1.0", "10e-1", "0.1e1", "1E0", "1e+0", "100e-2", "0.00001e5", "1.000"],
            ["0", "-0", "0.0", "-0.000e5", "0e-99999999999999999999999"],
            ["-12.5", "-125e-1", "-0.125E2", "-1250.00e-2"],
            ["1e99999999999999999999", "10e99999999999999999998", "0.1e100000000000000000000"],
        ]
    )
    func spellingsOfOneValueAreEqual(spellings: [String]) {
        let numbers = spellings.map { JSONNumber(literal: $0) }
        for a in numbers {
            for b in numbers {
                #expect(a == b, "\(a) == \(b)")
                #expect(!(a < b), "\(a) < \(b)")
                #expect(a.hashValue == b.hashValue, "hash \(a) vs \(b)")
            }
        }
        #expect(Set(numbers.map { JSONValue.number($0) }).count == 1)
    }

    @Test("exponents of any size order exactly")
    func hugeExponentsOrder() {
        let pairs: [(String, String)] = [
            ("1e99999999999999999999", "1e100000000000000000000"),
            ("9e99999999999999999999", "1e100000000000000000000"),
            ("1e-100000000000000000000", "1e-99999999999999999999"),
            ("-1e-99999999999999999998", "-1e-99999999999999999999"),
            ("-1e100000000000000000000", "1"),
            ("1e-100000000000000000000", "1"),
            ("0", "1e-100000000000000000000"),
            ("1e-999999999999999999999999999992", "123456789e-1000000000000000000000000000000"),
        ]
        for (lower, higher) in pairs {
            let (a, b) = (JSONNumber(literal: lower), JSONNumber(literal: higher))
            #expect(a < b, "\(lower) < \(higher)")
            #expect(!(b < a), "\(higher) < \(lower)")
            #expect(a != b)
        }
    }

    @Test("infinities and NaN, which have no literal, still order against every decimal")
    func nonFiniteValues() {
        let huge = JSONNumber(literal: "1e400")
        #expect(huge < JSONNumber(Double.infinity))
        #expect(JSONNumber(-Double.infinity) < JSONNumber(literal: "-1e400"))
        #expect(huge != JSONNumber(Double.infinity))
        #expect(JSONNumber(Double.infinity) == JSONNumber(Double.infinity))
        #expect(JSONNumber(Double.nan) != JSONNumber(Double.nan))
        #expect(!(JSONNumber(Double.nan) < JSONNumber(1)) && !(JSONNumber(1) < JSONNumber(Double.nan)))
    }

    @Test("numbers built from a Double or an Int equal the literal with that value")
    func builtNumbersEqualLiterals() {
        #expect(JSONNumber(2.5) == JSONNumber(literal: "25e-1"))
        #expect(JSONNumber(1e20) == JSONNumber(literal: "100000000000000000000"))
        #expect(JSONNumber(0.1) == JSONNumber(literal: "0.1"))
        #expect(JSONNumber(-7) == JSONNumber(literal: "-7.0"))
        #expect(JSONNumber(Int.max) == JSONNumber(literal: "9223372036854775807"))
        #expect(JSONNumber(Int.max) != JSONNumber(literal: "9223372036854775806"))
    }

    @Test(
        "init(decimalText:) accepts exactly one JSON number literal",
        arguments: [
            ("0", true), ("-0", true), ("12", true), ("-0.5e+3", true), ("1E-7", true), ("1e007", true),
            ("", false), ("-", false), ("+1", false), (" 1", false), ("1 ", false), ("01", false), ("1.", false), (".5", false),
            ("1e", false), ("1e+", false), ("NaN", false), ("Infinity", false), ("0x1", false), ("1_000", false), ("--1", false),
            ("1.5.2", false), ("١", false),
        ]
    )
    func decimalTextAcceptsOnlyLiterals(text: String, isNumber: Bool) {
        let number = JSONNumber(decimalText: text)
        #expect((number != nil) == isNumber)
        #expect(number?.literal == (isNumber ? text : nil))
    }

    @Test("integers compare as Int does, however they are spelled", arguments: 0..<6)
    func integersAgreeWithInt(seed: UInt64) {
        var random = SplitMix(seed: seed)
        for _ in 0..<400 {
            let a = Self.randomInteger(&random)
            let b = Bool.random(using: &random) ? a &+ Int.random(in: -2...2, using: &random) : Self.randomInteger(&random)
            let x = JSONNumber(literal: Self.spelling(of: a, using: &random))
            let y = JSONNumber(literal: Self.spelling(of: b, using: &random))
            #expect((x == y) == (a == b), "\(x) == \(y)")
            #expect((x < y) == (a < b), "\(x) < \(y)")
            if a == b { #expect(x.hashValue == y.hashValue, "hash \(x) vs \(y)") }
        }
    }

    @Test("random decimal literals compare as an independent big-decimal oracle says", arguments: 0..<6)
    func decimalsAgreeWithOracle(seed: UInt64) {
        var random = SplitMix(seed: 100 + seed)
        var equalPairs = 0
        for _ in 0..<2000 {
            let (left, right) = (Self.randomLiteral(&random), Self.randomLiteral(&random))
            let expected = OracleDecimal(left).compare(OracleDecimal(right))
            let (x, y) = (JSONNumber(literal: left), JSONNumber(literal: right))
            #expect((x == y) == (expected == 0), "\(left) == \(right)")
            #expect((x < y) == (expected < 0), "\(left) < \(right)")
            if expected == 0 {
                equalPairs += 1
                #expect(x.hashValue == y.hashValue, "hash \(left) vs \(right)")
            }
        }
        #expect(equalPairs > 20, "the generator should produce equal values often")
    }

    private static func randomInteger(_ random: inout SplitMix) -> Int {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: Int.random(in: -20...20, using: &random)
        case 1: Int.random(in: -(1 << 53)...(1 << 53), using: &random)
        case 2: Int.random(in: (1 << 60)...(Int.max - 4), using: &random) * (Bool.random(using: &random) ? 1 : -1)
        default: Int.random(in: Int.min / 2...Int.max / 2, using: &random)
        }
    }

    /// `n` written one of several ways a JSON writer might: plain, with a zero fraction, or with the point moved.
    private static func spelling(of n: Int, using random: inout SplitMix) -> String {
        let sign = n < 0 ? "-" : ""
        let digits = String(n.magnitude)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return String(n)
        case 1: return "\(n).000"
        case 2: return "\(n)e0"
        case 3: return "\(sign)\(digits)00E-2"
        case 4: return "\(sign)0.\(digits)e\(digits.count)"
        default:
            guard digits.count > 1 else { return "\(n)e+00" }
            let cut = Int.random(in: 1..<digits.count, using: &random)
            return "\(sign)\(digits.prefix(cut)).\(digits.dropFirst(cut))e+\(digits.count - cut)"
        }
    }

    /// A literal from a small alphabet, so that equal values spelled differently come up often.
    private static func randomLiteral(_ random: inout SplitMix) -> String {
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in "0019".randomElement(using: &random)! })
        }
        var text = Bool.random(using: &random) && Bool.random(using: &random) ? "-" : ""
        text += Bool.random(using: &random) ? "0" : "1" + digits(Int.random(in: 0...3, using: &random))
        if Bool.random(using: &random) { text += "." + digits(Int.random(in: 1...4, using: &random)) }
        if Bool.random(using: &random) {
            text += ["e", "E"].randomElement(using: &random)! + ["", "+", "-"].randomElement(using: &random)!
            text += String(repeating: "0", count: Int.random(in: 0...2, using: &random)) + String(Int.random(in: 0...5, using: &random))
        }
        return text
    }
}

/// A decimal compared the slow, obvious way: scale both to the same power of ten and compare integer digit strings.
private struct OracleDecimal {
    var isNegative: Bool
    var digits: String
    var scale: Int  // value = digits × 10^scale

    init(_ literal: String) {
        var text = Substring(literal)
        isNegative = text.first == "-"
        if isNegative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        digits = String(parts[0]) + fraction
        scale = exponent - fraction.count
    }

    /// -1, 0 or 1.
    func compare(_ other: OracleDecimal) -> Int {
        let common = min(scale, other.scale)
        let left = Self.trimmed(digits + String(repeating: "0", count: scale - common))
        let right = Self.trimmed(other.digits + String(repeating: "0", count: other.scale - common))
        let leftSign = left.isEmpty ? 0 : (isNegative ? -1 : 1)
        let rightSign = right.isEmpty ? 0 : (other.isNegative ? -1 : 1)
        if leftSign != rightSign { return leftSign < rightSign ? -1 : 1 }
        let magnitude = left.count != right.count ? (left.count < right.count ? -1 : 1) : (left == right ? 0 : (left < right ? -1 : 1))
        return leftSign < 0 ? -magnitude : magnitude
    }

    private static func trimmed(_ digits: String) -> String { String(digits.drop { $0 == "0" }) }
}

struct JSONNumberIntegerTests {
    @Test(
        "isInteger says exactly whether the value is whole, at any size",
        arguments: [
            ("7", true), ("-0", true), ("7.0", true), ("1e2", true), ("1.5e1", true), ("1.25e1", false), ("0.5", false),
            ("12345678901234567890.5", false), ("123456789012345678901234567890", true), ("1e400", true), ("1e-400", false),
            ("1e100000000000000000000", true), ("1e-100000000000000000000", false), ("10e-1", true), ("100e-3", false),
        ]
    )
    func isInteger(literal: String, expected: Bool) {
        #expect(JSONNumber(literal: literal).isInteger == expected)
    }

    @Test("infinities and NaN are not integers")
    func nonFiniteAreNotIntegers() {
        #expect(!JSONNumber(Double.infinity).isInteger)
        #expect(!JSONNumber(Double.nan).isInteger)
    }
}
