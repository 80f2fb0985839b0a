/// Validates JSON without building values, and finds where a top-level object's members are.
///
/// The proxy forwards most messages untouched, so all it needs is proof that the bytes are JSON and the places
/// of a few members (`id`, `method`, `params`); building a `JSONValue` for every message would cost allocations
/// for strings nobody reads. It accepts and rejects exactly what `JSONParser` does, with the same errors.
public enum JSONScanner {
    /// What kind of value a range of bytes holds.
    public enum ValueKind: Sendable, Hashable {
        case null, bool, number, string, array, object
    }

    /// One member of the top-level object, as byte ranges into the scanned input.
    public struct Member: Sendable, Hashable {
        /// The key's bytes between its quotes, still escaped.
        public var keyRange: Range<Int>
        /// Whether the key contains a backslash escape, so its bytes are not its text.
        public var keyHasEscapes: Bool
        /// The value's bytes, from its first to its last byte, without surrounding whitespace.
        public var valueRange: Range<Int>
        /// What the value is.
        public var valueKind: ValueKind

        public init(keyRange: Range<Int>, keyHasEscapes: Bool, valueRange: Range<Int>, valueKind: ValueKind) {
            self.keyRange = keyRange
            self.keyHasEscapes = keyHasEscapes
            self.valueRange = valueRange
            self.valueKind = valueKind
        }

        /// Whether the key is `name`, comparing Unicode scalars, and without decoding the key when it has no escapes.
        public func hasKey(_ name: String, in bytes: UnsafeRawBufferPointer) -> Bool {
            if keyHasEscapes { return ScalarKey.equal(key(in: bytes), name) }
            var name = name
            return name.withUTF8 { utf8 in
                utf8.count == keyRange.count && UnsafeRawBufferPointer(utf8).elementsEqual(bytes[keyRange])
            }
        }

        /// The key as text.
        public func key(in bytes: UnsafeRawBufferPointer) -> String {
            JSONReader.decodeString(bytes, content: keyRange, hasEscapes: keyHasEscapes)
        }
    }

    /// Proves `bytes` hold exactly one JSON value, and says what kind it is.
    @discardableResult
    public static func validate(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 128) throws(JSONParseError) -> ValueKind {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth)
        let kind = try reader.skipValue(try reader.peekToken(expecting: "a JSON value"), outerDepth: 0)
        reader.skipWhitespace()
        guard reader.isAtEnd else { throw reader.trailingData(at: reader.index) }
        return kind
    }

    /// Proves `bytes` hold exactly one JSON value, and says what kind it is.
    @discardableResult
    public static func validate(_ bytes: [UInt8], maxDepth: Int = 128) throws(JSONParseError) -> ValueKind {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try validate(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Validates the whole document and, when its top level is an object, calls `body` with each member in order.
    ///
    /// Members are reported as they are read, so when this throws, `body` may already have seen some of them;
    /// callers should trust what they collected only when it returns. Duplicate keys are all reported.
    @discardableResult
    public static func scan(
        _ bytes: UnsafeRawBufferPointer,
        maxDepth: Int = 128,
        forEachMember body: (Member) -> Void
    ) throws(JSONParseError) -> ValueKind {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth)
        let first = try reader.peekToken(expecting: "a JSON value")
        guard first == UInt8(ascii: "{"), maxDepth >= 1 else {
            let kind = try reader.skipValue(first, outerDepth: 0)
            reader.skipWhitespace()
            guard reader.isAtEnd else { throw reader.trailingData(at: reader.index) }
            return kind
        }
        reader.index += 1
        var next = try reader.peekToken(expecting: "a string key or `}`")
        if next == UInt8(ascii: "}") {
            reader.index += 1
        } else {
            while true {
                let key = try reader.skipKeyAndColon(next)
                let valueFirst = try reader.peekToken(expecting: "a value")
                let valueStart = reader.index
                let valueKind = try reader.skipValue(valueFirst, outerDepth: 1)
                body(Member(keyRange: key.content, keyHasEscapes: key.hasEscapes, valueRange: valueStart..<reader.index, valueKind: valueKind))
                let separator = try reader.peekToken(expecting: "`,` or `}`")
                reader.index += 1
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else { throw reader.unexpected(at: reader.index - 1, expecting: "`,` or `}`") }
                next = try reader.peekToken(expecting: "a string key")
            }
        }
        reader.skipWhitespace()
        guard reader.isAtEnd else { throw reader.trailingData(at: reader.index) }
        return .object
    }

    /// The members of a top-level object, or nil when the document is valid but not an object.
    public static func members(of bytes: UnsafeRawBufferPointer, maxDepth: Int = 128) throws(JSONParseError) -> [Member]? {
        var members: [Member] = []
        let kind = try scan(bytes, maxDepth: maxDepth) { members.append($0) }
        return kind == .object ? members : nil
    }

    /// Validates the one value that starts at `offset` (after optional whitespace) and returns its byte range.
    ///
    /// Bytes after the value are not looked at, so this also measures a value inside a larger document.
    public static func skipValue(
        in bytes: UnsafeRawBufferPointer,
        at offset: Int,
        maxDepth: Int = 128
    ) throws(JSONParseError) -> Range<Int> {
        var reader = JSONReader(bytes: bytes, index: offset, maxDepth: maxDepth)
        let first = try reader.peekToken(expecting: "a JSON value")
        let start = reader.index
        _ = try reader.skipValue(first, outerDepth: 0)
        return start..<reader.index
    }

    /// The text of a string value, given the range of the value including its quotes.
    ///
    /// The range must be one that this scanner reported for a string (or that it validated some other way).
    public static func decodeString(_ bytes: UnsafeRawBufferPointer, valueRange: Range<Int>) -> String {
        let content = (valueRange.lowerBound + 1)..<(valueRange.upperBound - 1)
        let hasEscapes = bytes[content].contains(UInt8(ascii: "\\"))
        return JSONReader.decodeString(bytes, content: content, hasEscapes: hasEscapes)
    }
}
