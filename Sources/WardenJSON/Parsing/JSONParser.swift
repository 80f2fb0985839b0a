/// Reads JSON text (RFC 8259) into a `JSONValue`, strictly: what it accepts, every conforming peer accepts too.
///
/// Policy decisions are made on what the parser sees, so it must not be more lenient than the server that will
/// act on the same bytes: one value with optional surrounding whitespace, no comments, no `NaN`, no trailing
/// commas, well-formed UTF-8, no raw control characters in strings.
///
/// - Numbers keep their literal (`1.50` stays `1.50`).
/// - Arrays and objects nested deeper than `maxDepth` are an error (`.tooDeep`), found before the stack is at risk.
///
/// Two things RFC 8259 allows but readers disagree about depend on `strict`:
/// - A key that occurs twice in one object (keys compared as Unicode scalars after unescaping, so `"a"` and
///   `"\u0061"` are the same key). Lenient: it keeps its first position and its last value, as most JavaScript
///   and Python peers do. Strict: `.duplicateKey`, naming the key, since Go and serde keep other values.
/// - A `\u` escape of a lone surrogate (not half of a high-low pair). Lenient: it decodes to U+FFFD, as Go does.
///   Strict: `.loneSurrogate`, since Python keeps it and serde refuses it.
///
/// Use strict parsing for anything a policy judges: what it accepts, every mainstream reader reads the same way.
public enum JSONParser {
    /// Parses one JSON document from borrowed bytes.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer,
        maxDepth: Int = 128,
        strict: Bool = false
    ) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth, isStrict: strict)
        let first = try reader.peekToken(expecting: "a JSON value")
        let value = try reader.parseValue(first, depth: 0)
        reader.skipWhitespace()
        guard reader.isAtEnd else { throw reader.trailingData(at: reader.index) }
        return value
    }

    /// Parses one JSON document.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 128, strict: Bool = false) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, maxDepth: maxDepth, strict: strict) }
        }
        return try result.get()
    }

    /// Parses one JSON document from text.
    public static func parse(_ text: String, maxDepth: Int = 128, strict: Bool = false) throws(JSONParseError) -> JSONValue {
        let result = text.utf8.withContiguousStorageIfAvailable { utf8 in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(utf8), maxDepth: maxDepth, strict: strict) }
        }
        return try (result ?? Result { () throws(JSONParseError) in try parse(Array(text.utf8), maxDepth: maxDepth, strict: strict) }).get()
    }
}

extension JSONReader {
    /// Parses the value whose first byte, `first`, is at `index`; `depth` counts the containers around it.
    fileprivate mutating func parseValue(_ first: UInt8, depth: Int) throws(JSONParseError) -> JSONValue {
        switch first {
        case UInt8(ascii: "\""):
            let string = try readString()
            return .string(Self.decodeString(bytes, content: string.content, hasEscapes: string.hasEscapes))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try readNumber()
            let literal = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[number.range]), as: UTF8.self)
            if number.isSimpleInteger {
                return .number(JSONNumber(literal: literal, value: Double(number.integerValue)))
            }
            return .number(JSONNumber(literal: literal))
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try readLiteral(first)
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return try readLiteral(first)
        default:
            throw unexpected(at: index, expecting: "a JSON value")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw tooDeep(at: index) }
        index += 1
        var elements: [JSONValue] = []
        var next = try peekToken(expecting: "a value or `]`")
        if next == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(next, depth: depth))
            let separator = try peekToken(expecting: "`,` or `]`")
            index += 1
            if separator == UInt8(ascii: "]") { return .array(elements) }
            guard separator == UInt8(ascii: ",") else { throw unexpected(at: index - 1, expecting: "`,` or `]`") }
            next = try peekToken(expecting: "a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw tooDeep(at: index) }
        index += 1
        var members: [JSONObject.Member] = []
        // Built only for large objects, where a linear search per key would make parsing quadratic.
        var positions: [ScalarKey: Int]? = nil
        var next = try peekToken(expecting: "a string key or `}`")
        if next == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(members))
        }
        while true {
            guard next == UInt8(ascii: "\"") else { throw unexpected(at: index, expecting: "a string key") }
            let keyStart = index
            let keyString = try readString()
            let key = Self.decodeString(bytes, content: keyString.content, hasEscapes: keyString.hasEscapes)
            guard try peekToken(expecting: "`:`") == UInt8(ascii: ":") else { throw unexpected(at: index, expecting: "`:`") }
            index += 1
            let value = try parseValue(try peekToken(expecting: "a value"), depth: depth)
            if let existing = Self.position(of: key, in: members, positions: &positions) {
                if rejectsDuplicateKeys { throw Self.duplicateKey(key, at: keyStart) }
                members[existing].value = value
            } else {
                positions?[ScalarKey(key)] = members.count
                members.append((key: key, value: value))
            }
            let separator = try peekToken(expecting: "`,` or `}`")
            index += 1
            if separator == UInt8(ascii: "}") { return .object(JSONObject(members)) }
            guard separator == UInt8(ascii: ",") else { throw unexpected(at: index - 1, expecting: "`,` or `}`") }
            next = try peekToken(expecting: "a string key")
        }
    }

    static func duplicateKey(_ key: String, at offset: Int) -> JSONParseError {
        JSONParseError(
            code: .duplicateKey,
            offset: offset,
            message: "the key \(quoted(key)) occurs twice in one object; readers disagree about which value counts"
        )
    }

    /// `key` as a JSON string, shortened to 100 scalars, so an error message shows exactly which key, control characters included.
    static func quoted(_ key: String) -> String {
        var output: [UInt8] = []
        let scalars = key.unicodeScalars
        let shown = scalars.count > 100 ? String(String.UnicodeScalarView(scalars.prefix(100))) + "…" : key
        JSONValue.encode(string: shown, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Where `key` already is among `members`, comparing Unicode scalars (`"\u212Aey"` is not `"Key"`).
    private static func position(of key: String, in members: [JSONObject.Member], positions: inout [ScalarKey: Int]?) -> Int? {
        if positions == nil {
            if members.count < 16 {
                for index in members.indices where ScalarKey.equal(members[index].key, key) { return index }
                return nil
            }
            var built: [ScalarKey: Int] = [:]
            built.reserveCapacity(members.count * 2)
            for (index, member) in members.enumerated() { built[ScalarKey(member.key)] = index }
            positions = built
        }
        return positions?[ScalarKey(key)]
    }
}
