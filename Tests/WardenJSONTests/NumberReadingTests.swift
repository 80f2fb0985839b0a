import Testing
import WardenJSON
import WardenTesting

@Suite("Numbers as servers read them")
struct NumberReadingTests {
    @Test("a double is written out exactly", arguments: [
        (1.1, "1100000000000000088817841970012523233890533447265625e-51"),
        (0.5, "5e-1"),
        (1234567890123456789.0, "1234567890123456768"),
        (-2.0, "-2"),
        (Double.leastNonzeroMagnitude, ""),
    ])
    func exactExpansion(double: Double, expected: String) {
        let number = JSONNumber(exactly: double)
        if expected.isEmpty {
            // The smallest subnormal: 4.94065645841246544…e-324, written with its full 751 digits.
            #expect(number.literal.hasSuffix("e-1074"))
            #expect(Double(number.literal) == double)
        } else {
            #expect(number.literal == expected)
        }
    }

    @Test("every finite double's exact expansion reads back as that double", arguments: [1, 2, 3])
    func expansionsRoundTrip(seed: Int) {
        var random = SplitMix(seed: UInt64(seed))
        for _ in 0..<2_000 {
            let double = Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF | (random.next() & 1) << 63)
            guard double.isFinite else { continue }
            let number = JSONNumber(exactly: double)
            #expect(Double(number.literal) == double, "\(double) → \(number.literal)")
            #expect(number.reading == .exact)
        }
    }

    @Test("decimals are read as the double every reader rounds them to; integers a double holds are exact")
    func readings() {
        #expect(JSONNumber(literal: "12").reading == .exact)
        #expect(JSONNumber(literal: "9007199254740992").reading == .exact)
        #expect(JSONNumber(literal: "18446744073709551616").reading == .exact)  // 2^64, a double exactly
        #expect(JSONNumber(literal: "0.5").reading == .exact)
        #expect(JSONNumber(literal: "1.234567890123456789e18").reading == .rounded(JSONNumber(literal: "1234567890123456768")))
        #expect(JSONNumber(literal: "1e-400").reading == .rounded(JSONNumber(literal: "0")))
        guard case .rounded(let tenth) = JSONNumber(literal: "0.1").reading else {
            Issue.record("0.1 is not a double")
            return
        }
        #expect(tenth > JSONNumber(literal: "0.1"))
    }

    @Test("integers readers round differently, and numbers beyond a double, are ambiguous")
    func ambiguous() {
        for literal in ["1234567890123456789", "9007199254740993", "-9007199254740993", "1e400", "-1e400", String(repeating: "9", count: 400)] {
            guard case .ambiguous = JSONNumber(literal: literal).reading else {
                Issue.record("\(literal) should be ambiguous")
                continue
            }
        }
    }

    @Test("a value is reread only where a number changes, and refused when one is ambiguous")
    func values() throws {
        let plain: JSONValue = ["a": 1, "b": ["x", 2, true, .null]]
        #expect(try plain.readAsServersDo() == plain)
        let decimal = try JSONParser.parse(#"{"level":1.234567890123456789e18,"list":[1.5,{"x":0.5}]}"#)
        let reread = try decimal.readAsServersDo()
        #expect(reread["level"] == .number(JSONNumber(literal: "1234567890123456768")))
        #expect(reread["list"]?.arrayValue?.first == .number(JSONNumber(literal: "1.5")))
        let big = try JSONParser.parse(#"{"deep":[{"id":1234567890123456789}]}"#)
        #expect(throws: NumberAmbiguity.self) { try big.readAsServersDo() }
    }
}
