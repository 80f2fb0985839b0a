/// A JSON number: the literal as written, compared by its exact decimal value.
///
/// Policy conditions compare numbers the client chose, so a comparison through `Double` would let
/// `1234567890123456889` pass a test against `1234567890123456789`. Equality, hashing and ordering therefore use
/// the literal's digits and exponent at any size (`1`, `1.0`, `10e-1` and `0.1e1` are equal, as are `-0` and `0`);
/// `value` is an approximation for display and arithmetic.
public struct JSONNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number exactly as it appeared in the document (or as Warden formatted it).
    public let literal: String
    /// The nearest `Double`; exact for integers up to 2^53 and for literals that a `Double` prints as.
    public let value: Double

    /// Wraps a literal that is already known to be a valid JSON number.
    public init(literal: String) {
        self.literal = literal
        self.value = Double(literal) ?? .nan
    }

    /// A number built from text, or nil unless the text is exactly one JSON number literal (no whitespace, no `+`).
    public init?(decimalText: String) {
        let isNumber =
            decimalText.utf8.withContiguousStorageIfAvailable { Self.isLiteral(UnsafeRawBufferPointer($0)) }
            ?? Array(decimalText.utf8).withUnsafeBytes { Self.isLiteral($0) }
        guard isNumber else { return nil }
        self.init(literal: decimalText)
    }

    public init(_ value: Int) {
        self.literal = String(value)
        self.value = Double(value)
    }

    /// A number for `value`; infinities and NaN have no JSON literal and are written `null`, but keep their value.
    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            self.literal = String(Int64(value))
        } else {
            self.literal = value.isFinite ? String(value) : "null"
        }
        self.value = value
    }

    /// The value as an integer, when it is one.
    public var intValue: Int? {
        guard value == value.rounded(), abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    /// Whether the exact value is a whole number (`7`, `7.0`, `1e2`), however large; false for infinities and NaN.
    public var isInteger: Bool {
        withExactValue { exact in
            guard case .finite(let decimal) = exact else { return false }
            return decimal.isIntegral
        }
    }

    public var description: String { literal }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.literal.utf8.elementsEqual(rhs.literal.utf8) { return !lhs.value.isNaN }
        return lhs.withExactValue { left in rhs.withExactValue { right in ExactValue.compare(left, right) == .equal } }
    }

    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.withExactValue { left in rhs.withExactValue { right in ExactValue.compare(left, right) == .less } }
    }

    public func hash(into hasher: inout Hasher) {
        withExactValue { $0.hash(into: &hasher) }
    }

    /// Calls `body` with this number taken apart, without copying the literal when it is stored contiguously.
    private func withExactValue<Result>(_ body: (ExactValue) -> Result) -> Result {
        var literal = literal
        return literal.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            if let decimal = DecimalForm(bytes) { return body(.finite(decimal)) }
            if value == .infinity { return body(.positiveInfinity) }
            if value == -.infinity { return body(.negativeInfinity) }
            return body(.notANumber)
        }
    }

    /// Whether `bytes` are exactly one number in RFC 8259's grammar.
    static func isLiteral(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first, first == UInt8(ascii: "-") || JSONReader.isDigit(first) else { return false }
        var reader = JSONReader(bytes: bytes, maxDepth: 0)
        guard (try? reader.readNumber()) != nil else { return false }
        return reader.isAtEnd
    }
}
