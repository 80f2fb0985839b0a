extension JSONReader {
    /// Proves the value starting at `index` (whose first byte is `first`) valid and moves past it, building nothing.
    ///
    /// It loops instead of recursing, so nesting costs a bit per level rather than a stack frame. The checks, their
    /// order, and so every error's code and offset, are the same as `JSONParser`'s.
    mutating func skipValue(_ first: UInt8, outerDepth: Int) throws(JSONParseError) -> JSONScanner.ValueKind {
        var stack = ContainerStack()
        var byte = first
        let kind: JSONScanner.ValueKind
        switch first {
        case UInt8(ascii: "{"): kind = .object
        case UInt8(ascii: "["): kind = .array
        case UInt8(ascii: "\""): kind = .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): kind = .number
        case UInt8(ascii: "n"): kind = .null
        default: kind = .bool
        }
        nextValue: while true {
            switch byte {
            case UInt8(ascii: "\""):
                _ = try readString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                _ = try readNumber()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                guard outerDepth + stack.count + 1 <= maxDepth else { throw tooDeep(at: index) }
                index += 1
                let next = try peekToken(expecting: isObject ? "a string key or `}`" : "a value or `]`")
                if next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    index += 1
                } else {
                    stack.push(isObject: isObject)
                    if isObject { try skipKeyAndColon(next) }
                    byte = try peekToken(expecting: "a value")
                    continue nextValue
                }
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                _ = try readLiteral(byte)
            default:
                throw unexpected(at: index, expecting: "a JSON value")
            }
            // A value just ended: close every container that ends here, then find the next value, if any.
            while !stack.isEmpty {
                let isObject = stack.isObjectOnTop
                let separator = try peekToken(expecting: isObject ? "`,` or `}`" : "`,` or `]`")
                index += 1
                if separator == UInt8(ascii: ",") {
                    if isObject { try skipKeyAndColon(try peekToken(expecting: "a string key")) }
                    byte = try peekToken(expecting: "a value")
                    continue nextValue
                }
                guard separator == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw unexpected(at: index - 1, expecting: isObject ? "`,` or `}`" : "`,` or `]`")
                }
                stack.pop()
            }
            return kind
        }
    }

    /// Reads `"key":` where `first` is the byte at `index`, returning the key's contents.
    @inline(__always) @discardableResult
    mutating func skipKeyAndColon(_ first: UInt8) throws(JSONParseError) -> (content: Range<Int>, hasEscapes: Bool) {
        guard first == UInt8(ascii: "\"") else { throw unexpected(at: index, expecting: "a string key") }
        let key = try readString()
        guard try peekToken(expecting: "`:`") == UInt8(ascii: ":") else { throw unexpected(at: index, expecting: "`:`") }
        index += 1
        return key
    }
}
