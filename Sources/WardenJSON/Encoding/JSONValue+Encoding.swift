extension JSONValue {
    /// Appends this value as compact JSON: no whitespace, object members in stored order, numbers as their literal.
    ///
    /// Strings escape only what RFC 8259 requires (`"`, `\` and control characters) and keep everything else as
    /// UTF-8, so a value that went through the parser comes back out byte for byte when it was written compactly.
    public func encode(into output: inout [UInt8]) {
        switch self {
        case .null:
            output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(true):
            output.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        case .bool(false):
            output.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .number(let number):
            output.append(contentsOf: number.literal.utf8)
        case .string(let string):
            Self.encode(string: string, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.encode(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.encode(string: member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                member.value.encode(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// This value as compact JSON bytes.
    public var encodedBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        encode(into: &output)
        return output
    }

    /// This value as compact JSON text.
    public var encodedString: String { String(decoding: encodedBytes, as: UTF8.self) }

    /// Appends `string` as a quoted JSON string.
    ///
    /// U+0085, U+2028 and U+2029 are written as `\u` escapes: some readers end a line on them, and nothing Warden
    /// writes (a message, an audit line) may look like two lines to any reader.
    public static func encode(string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                if byte == 0xC2 || byte == 0xE2, let escape = lineSeparatorEscape(utf8, at: index) {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    output.append(contentsOf: escape)
                    runStart = index + (byte == 0xC2 ? 2 : 3)
                    continue
                }
                guard index >= runStart, byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    let digits: [UInt8] = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The escape for the U+0085, U+2028 or U+2029 whose UTF-8 starts at `index`, or nil for anything else.
    @inline(__always)
    private static func lineSeparatorEscape(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> [UInt8]? {
        if utf8[index] == 0xC2 {
            guard index + 1 < utf8.count, utf8[index + 1] == 0x85 else { return nil }
            return Array(#"\u0085"#.utf8)
        }
        guard index + 2 < utf8.count, utf8[index + 1] == 0x80 else { return nil }
        switch utf8[index + 2] {
        case 0xA8: return Array(#"\u2028"#.utf8)
        case 0xA9: return Array(#"\u2029"#.utf8)
        default: return nil
        }
    }
}
