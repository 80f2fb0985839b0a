/// The lexical rules of RFC 8259, shared by `JSONParser` and `JSONScanner` so both accept exactly the same documents.
///
/// It reads straight from borrowed bytes and never copies them; the parser decodes strings only after the
/// reader has proved them valid, so decoding cannot fail.
struct JSONReader {
    let bytes: UnsafeRawBufferPointer
    var index: Int
    let maxDepth: Int
    /// Whether a `\u` escape of a lone surrogate is an error (`.loneSurrogate`) rather than U+FFFD.
    let rejectsLoneSurrogates: Bool
    /// Whether a key that occurs twice in one object is an error (`.duplicateKey`); only the parser looks at this.
    let rejectsDuplicateKeys: Bool

    init(bytes: UnsafeRawBufferPointer, index: Int = 0, maxDepth: Int, isStrict: Bool = false) {
        self.bytes = bytes
        self.index = index
        self.maxDepth = maxDepth
        self.rejectsLoneSurrogates = isStrict
        self.rejectsDuplicateKeys = isStrict
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// Moves past space, tab, line feed and carriage return: the only whitespace JSON has.
    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, without consuming it; the end of input is an error naming `expected`.
    @inline(__always)
    mutating func peekToken(expecting expected: @autoclosure () -> String) throws(JSONParseError) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else {
            throw JSONParseError(code: .unexpectedEnd, offset: index, message: "the input ends where \(expected()) was expected")
        }
        return bytes[index]
    }

    // MARK: Errors

    func unexpected(at offset: Int, expecting expected: String) -> JSONParseError {
        guard offset < bytes.count else {
            return JSONParseError(code: .unexpectedEnd, offset: offset, message: "the input ends where \(expected) was expected")
        }
        return JSONParseError(
            code: .unexpectedCharacter,
            offset: offset,
            message: "found \(Self.describe(bytes[offset])) where \(expected) was expected"
        )
    }

    func tooDeep(at offset: Int) -> JSONParseError {
        JSONParseError(code: .tooDeep, offset: offset, message: "arrays and objects are nested more than \(maxDepth) levels deep")
    }

    func trailingData(at offset: Int) -> JSONParseError {
        JSONParseError(
            code: .trailingData,
            offset: offset,
            message: "found \(Self.describe(bytes[offset])) after the end of the JSON value; a document holds exactly one value"
        )
    }

    /// A byte as a person would want to read it in an error message.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }

    // MARK: Literals

    /// Consumes `true`, `false` or `null` starting at `index`, whose first byte the caller has already seen.
    @inline(__always)
    mutating func readLiteral(_ first: UInt8) throws(JSONParseError) -> JSONValue {
        let start = index
        switch first {
        case UInt8(ascii: "t"):
            if matches(0x74, 0x72, 0x75, 0x65) { return .bool(true) }
        case UInt8(ascii: "f"):
            if index + 5 <= bytes.count, bytes[index + 4] == UInt8(ascii: "e"), matches(0x66, 0x61, 0x6C, 0x73) {
                index += 1
                return .bool(false)
            }
        case UInt8(ascii: "n"):
            if matches(0x6E, 0x75, 0x6C, 0x6C) { return .null }
        default:
            break
        }
        var end = start
        while end < bytes.count, end - start < 16, Self.isWordByte(bytes[end]) { end += 1 }
        let word = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<max(end, start + 1)]), as: UTF8.self)
        throw JSONParseError(
            code: .invalidLiteral,
            offset: start,
            message: "`\(word)` is not a JSON value; the only words JSON has are true, false and null"
        )
    }

    @inline(__always)
    private mutating func matches(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Bool {
        guard index + 4 <= bytes.count, bytes[index] == a, bytes[index + 1] == b, bytes[index + 2] == c, bytes[index + 3] == d
        else { return false }
        index += 4
        return true
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    // MARK: Numbers

    /// Consumes a number starting at `index` and returns its bytes; `isSimpleInteger` means at most 15 digits, no fraction
    /// or exponent, so its exact value is `integerValue`.
    @inline(__always)
    mutating func readNumber() throws(JSONParseError) -> (range: Range<Int>, isSimpleInteger: Bool, integerValue: Int) {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count else { throw numberError(start, "a `-` must be followed by digits") }
        var magnitude = 0
        let digitsStart = index
        let first = bytes[index]
        if first == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) {
                throw numberError(start, "a number may not have a leading zero")
            }
        } else if Self.isDigit(first) {
            while index < bytes.count, Self.isDigit(bytes[index]) {
                magnitude = magnitude &* 10 &+ Int(bytes[index] &- 0x30)
                index += 1
            }
        } else {
            throw numberError(start, "a `-` must be followed by digits")
        }
        var isSimple = index - digitsStart <= 15
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isSimple = false
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw numberError(start, "a `.` must be followed by digits") }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isSimple = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, Self.isDigit(bytes[index]) else {
                throw numberError(start, "an exponent must have digits")
            }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        return (start..<index, isSimple, negative ? -magnitude : magnitude)
    }

    private func numberError(_ start: Int, _ detail: String) -> JSONParseError {
        JSONParseError(code: .invalidNumber, offset: start, message: "invalid number: \(detail)")
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    // MARK: Strings

    /// Consumes a string whose opening quote is at `index`, proving its escapes and UTF-8 valid.
    ///
    /// Returns the bytes between the quotes, still escaped, and whether any backslash occurs in them.
    @inline(__always)
    mutating func readString() throws(JSONParseError) -> (content: Range<Int>, hasEscapes: Bool) {
        index += 1
        let start = index
        var hasEscapes = false
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                let content = start..<index
                index += 1
                return (content, hasEscapes)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try readEscape()
            } else if byte < 0x20 {
                throw JSONParseError(
                    code: .controlCharacter,
                    offset: index,
                    message: "control character \(Self.describe(byte)) inside a string must be escaped"
                )
            } else {
                try readMultibyteScalar()
            }
        }
        throw JSONParseError(code: .unexpectedEnd, offset: index, message: "the input ends inside a string that started at byte \(start - 1)")
    }

    private mutating func readEscape() throws(JSONParseError) {
        let start = index
        index += 1
        guard index < bytes.count else { throw JSONParseError(code: .unexpectedEnd, offset: index, message: "the input ends inside an escape") }
        switch bytes[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
            UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 1
        case UInt8(ascii: "u"):
            index += 1
            var unit: UInt32 = 0
            for _ in 0..<4 {
                guard index < bytes.count, let digit = Self.hexValue(bytes[index]) else {
                    throw JSONParseError(code: .invalidEscape, offset: start, message: "`\\u` must be followed by four hex digits")
                }
                unit = unit << 4 | UInt32(digit)
                index += 1
            }
            if rejectsLoneSurrogates && unit & 0xF800 == 0xD800 { try readLowSurrogate(after: unit, escapeStart: start) }
        default:
            throw JSONParseError(
                code: .invalidEscape,
                offset: start,
                message: "`\\` followed by \(Self.describe(bytes[index])) is not an escape JSON defines"
            )
        }
    }

    /// Consumes the `\\uDC00`…`\\uDFFF` escape that must follow the high surrogate `unit`, or throws `.loneSurrogate`.
    ///
    /// Readers disagree about a lone surrogate (Python keeps it, Go and this parser by default make it U+FFFD, serde
    /// refuses it), so a strict reader refuses it too.
    private mutating func readLowSurrogate(after unit: UInt32, escapeStart: Int) throws(JSONParseError) {
        if unit <= 0xDBFF, index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
            var low: UInt32 = 0
            for offset in 2..<6 {
                guard let digit = Self.hexValue(bytes[index + offset]) else { break }
                low = low << 4 | UInt32(digit)
                if offset == 5, low >= 0xDC00 && low <= 0xDFFF {
                    index += 6
                    return
                }
            }
        }
        let hex = String(unit, radix: 16, uppercase: true)
        throw JSONParseError(
            code: .loneSurrogate,
            offset: escapeStart,
            message: "`\\u\(hex)` is half of a surrogate pair without its other half; readers decode it differently, so it is refused"
        )
    }

    /// Proves the UTF-8 sequence at `index` well formed (no overlongs, no surrogates, nothing above U+10FFFF).
    private mutating func readMultibyteScalar() throws(JSONParseError) {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default:
            throw utf8Error(at: index)
        }
        guard index + length <= bytes.count else { throw utf8Error(at: index) }
        let second = bytes[index + 1]
        guard second >= low && second <= high else { throw utf8Error(at: index) }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
            throw utf8Error(at: index)
        }
        index += length
    }

    private func utf8Error(at offset: Int) -> JSONParseError {
        JSONParseError(code: .invalidUTF8, offset: offset, message: "a string holds bytes that are not valid UTF-8")
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Decodes string contents that `readString` already proved valid.
    ///
    /// A `\u` escape of a lone surrogate (one not part of a high-low pair) becomes U+FFFD: RFC 8259's grammar allows it,
    /// and refusing a whole message for it would break peers (JavaScript's `JSON.stringify` writes them).
    static func decodeString(_ bytes: UnsafeRawBufferPointer, content: Range<Int>, hasEscapes: Bool) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[content])
        guard hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: raw.count) { output in
            var written = 0
            var index = 0
            while index < raw.count {
                let byte = raw[index]
                guard byte == UInt8(ascii: "\\") else {
                    output[written] = byte
                    written += 1
                    index += 1
                    continue
                }
                let kind = raw[index + 1]
                index += 2
                let simple: UInt8
                switch kind {
                case UInt8(ascii: "b"): simple = 0x08
                case UInt8(ascii: "f"): simple = 0x0C
                case UInt8(ascii: "n"): simple = 0x0A
                case UInt8(ascii: "r"): simple = 0x0D
                case UInt8(ascii: "t"): simple = 0x09
                case UInt8(ascii: "u"): simple = 0
                default: simple = kind
                }
                if kind != UInt8(ascii: "u") {
                    output[written] = simple
                    written += 1
                    continue
                }
                var scalar = hex4(raw, at: index)
                index += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    if index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u") {
                        let low = hex4(raw, at: index + 2)
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    scalar = 0xFFFD
                }
                // Every escape is at least six bytes long and no scalar needs more than four, so the output always fits.
                for unit in UTF8.encode(Unicode.Scalar(scalar)!)! {
                    output[written] = unit
                    written += 1
                }
            }
            return written
        }
    }

    private static func hex4(_ raw: UnsafeRawBufferPointer, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | UInt32(hexValue(raw[index + offset]) ?? 0) }
        return value
    }
}
