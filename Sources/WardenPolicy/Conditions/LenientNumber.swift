public import WardenJSON

/// Reads a string as the number a lenient server would make of it, as exactly as the text gives it.
///
/// The Python SDK validates arguments with pydantic in lax mode, which reads `"1200"` as 1200.0 for a number
/// parameter; the agent chooses the encoding, so a numeric test must judge that number and not the string.
/// This accepts what Python's `float()` accepts: surrounding whitespace (Unicode too), a `+` or `-` sign, `1200`,
/// `1.2e3`, `.5`, `5.`, `1_200` (underscores between digits), digits of any script with a decimal value (`１２００`),
/// and `inf`, `infinity` and `nan` in any case. A finite number becomes an exact `JSONNumber`, never a `Double`.
public enum LenientNumber {
    /// The longest text, in bytes of UTF-8, read as a number: 4 KiB, far more than any real amount needs.
    ///
    /// Reading is linear in the text and a test may read it once per rule; a longer string that may hold a number
    /// is not read, and a test that needs its number cannot judge it (the call is denied, see `Unjudgeable`).
    public static let textLimit = 4096

    /// The number `text` holds as servers read it, or nil when a lenient reader would not read it as one, when it is
    /// over `textLimit`, or when servers read it differently (see `NumberReading`): a decimal is the double readers
    /// round it to.
    public static func read(_ text: String) -> JSONNumber? {
        guard let number = readExactly(text) else { return nil }
        // inf and nan come back as themselves (their literal is `null`): every reader that takes them agrees.
        guard number.value.isFinite || number.literal != "null" else { return number }
        switch number.reading {
        case .exact: return number
        case .rounded(let nearest): return nearest
        case .ambiguous: return nil
        }
    }

    /// The exact number `text` holds, before servers' rounding.
    static func readExactly(_ text: String) -> JSONNumber? {
        // Most strings are not numbers: decide that from the first non-space scalar, before allocating anything.
        guard mayHoldNumber(text), text.utf8.count <= textLimit else { return nil }
        var ascii: [UInt8] = []
        ascii.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                ascii.append(UInt8(scalar.value))
            } else if isSpace(scalar) {
                ascii.append(UInt8(ascii: " "))
            } else if let digit = decimalDigit(scalar) {
                ascii.append(UInt8(ascii: "0") + digit)
            } else {
                return nil
            }
        }
        return read(ascii: ascii[...])
    }

    /// Whether `text` starts, after whitespace, with something a number can start with.
    static func mayHoldNumber(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first(where: { !isSpace($0) }) else { return false }
        return canStart(first)
    }

    /// Whether a lenient reader could read a number starting with `scalar`.
    private static func canStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "+", "-", ".", "0"..."9", "i", "I", "n", "N": true
        default: !scalar.isASCII && decimalDigit(scalar) != nil
        }
    }

    /// Whitespace as Python's `str.isspace` sees it: Unicode `White_Space` plus the ASCII separators 0x1C–0x1F.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        (0x1C...0x1F).contains(scalar.value) || scalar.properties.isWhitespace
    }

    /// The value 0–9 of a decimal digit of any script, as Python maps them before reading a number.
    private static func decimalDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
        guard value >= 0, value <= 9 else { return nil }
        return UInt8(value)
    }

    private static func read(ascii text: ArraySlice<UInt8>) -> JSONNumber? {
        var text = text
        while let byte = text.first, isASCIISpace(byte) { text = text.dropFirst() }
        while let byte = text.last, isASCIISpace(byte) { text = text.dropLast() }
        var isNegative = false
        if let sign = text.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            isNegative = sign == UInt8(ascii: "-")
            text = text.dropFirst()
        }
        if let special = specialValue(text) { return JSONNumber(isNegative ? -special : special) }
        var index = text.startIndex
        guard let integer = digits(in: text, from: &index) else { return nil }
        var fraction: ArraySlice<UInt8> = []
        if index < text.endIndex, text[index] == UInt8(ascii: ".") {
            index += 1
            guard let digits = digits(in: text, from: &index) else { return nil }
            fraction = digits
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        var exponent: ArraySlice<UInt8>?
        var exponentIsNegative = false
        if index < text.endIndex, text[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < text.endIndex, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                exponentIsNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            guard let digits = digits(in: text, from: &index), !digits.isEmpty else { return nil }
            exponent = digits
        }
        guard index == text.endIndex else { return nil }
        // Rebuild the number as a JSON literal: no `+`, no leading zeros, digits on both sides of a `.`.
        var literal: [UInt8] = []
        literal.reserveCapacity(text.count + 2)
        if isNegative { literal.append(UInt8(ascii: "-")) }
        let significant = integer.drop { $0 == UInt8(ascii: "0") }
        literal.append(contentsOf: significant.isEmpty ? [UInt8(ascii: "0")] : Array(significant))
        if !fraction.isEmpty {
            literal.append(UInt8(ascii: "."))
            literal.append(contentsOf: fraction)
        }
        if let exponent {
            literal.append(UInt8(ascii: "e"))
            if exponentIsNegative { literal.append(UInt8(ascii: "-")) }
            literal.append(contentsOf: exponent)
        }
        return JSONNumber(decimalText: String(decoding: literal, as: UTF8.self))
    }

    /// A run of digits from `index`, underscores removed; each underscore must sit between two digits.
    /// Nil when an underscore is misplaced; empty when there are no digits.
    private static func digits(in text: ArraySlice<UInt8>, from index: inout Int) -> ArraySlice<UInt8>? {
        let start = index
        var sawUnderscore = false
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "_") {
                let after = index + 1
                guard index > start, isDigit(text[index - 1]), after < text.endIndex, isDigit(text[after]) else { return nil }
                sawUnderscore = true
            } else if !isDigit(byte) {
                break
            }
            index += 1
        }
        let run = text[start..<index]
        return sawUnderscore ? ArraySlice(run.filter { $0 != UInt8(ascii: "_") }) : run
    }

    /// Infinity or NaN for `inf`, `infinity` or `nan` in any case.
    private static func specialValue(_ text: ArraySlice<UInt8>) -> Double? {
        guard text.count <= 8 else { return nil }
        let lowered = String(decoding: text.map { $0 | 0x20 }, as: UTF8.self)
        switch lowered {
        case "inf", "infinity": return .infinity
        case "nan": return .nan
        default: return nil
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte) || (0x1C...0x1F).contains(byte)
    }
}
