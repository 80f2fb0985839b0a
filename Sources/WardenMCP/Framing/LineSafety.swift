public import NIOCore

/// Makes sure every reader sees one client message as one line, whatever it counts as a line break.
///
/// Warden frames stdio on `\n` only, but readers disagree about the rest: Python's universal-newline reader also
/// splits on a raw carriage return, and `str.splitlines` and some JavaScript readers on U+0085, U+2028 and U+2029.
/// A message that hides a second message behind one of those would be judged as one thing and executed as two.
///
/// Rules, for the bytes of one message (a line without its `\n`, or an HTTP body):
/// - a raw carriage return is refused, except as the very last byte (a CRLF line ending), which is left in place
///   in both `.safe` and `.rewritten` bytes: it is JSON whitespace, and every reader ends the line there anyway;
/// - a raw line feed is refused (a framed line cannot hold one; an HTTP body can);
/// - raw U+0085, U+2028 and U+2029, which valid JSON can hold only inside strings, are rewritten as the escapes
///   `\u0085`, `\u2028` and `\u2029`: the same JSON value, with nothing left for a reader to split on. One that
///   follows a lone backslash is refused instead, since the rewrite would turn an invalid escape into a valid one.
///
/// It does not validate JSON; the inspector does that on the bytes this returns.
public enum LineSafety {
    /// What to do with one message.
    public enum Verdict: Sendable, Equatable {
        /// Forward the bytes as they are.
        case safe
        /// Forward these bytes instead: the same JSON with line separators escaped.
        case rewritten([UInt8])
        /// Forward nothing; the reason names the byte and its offset.
        case refused(String)
    }

    /// Checks one message; `.safe` allocates nothing, and messages without the bytes it looks for are read eight
    /// bytes at a time.
    public static func check(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        var index = 0
        while let found = nextCandidate(in: bytes, from: index) {
            switch classify(bytes, at: found) {
            case .ordinary: index = found + 1
            case .refused(let reason): return .refused(reason)
            case .separator: return rewrite(bytes, firstSeparator: found)
            }
        }
        return .safe
    }

    /// Checks the readable bytes of `buffer`, such as a line from `LineFramer` or an HTTP body.
    public static func check(_ buffer: ByteBuffer) -> Verdict {
        buffer.withUnsafeReadableBytes { check($0) }
    }

    /// Checks one message given as an array.
    public static func check(_ bytes: [UInt8]) -> Verdict {
        bytes.withUnsafeBytes { check($0) }
    }

    private enum ByteClass {
        case ordinary
        /// A U+0085, U+2028 or U+2029 that starts here, with its encoded length.
        case separator(length: Int, escape: StaticString)
        case refused(String)
    }

    /// The offset of the next byte that may need attention (CR, LF, or a byte ≥ 0x80) at or after `start`.
    @inline(__always)
    private static func nextCandidate(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        let count = bytes.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let carriageReturns = word ^ (ones &* 0x0D)
            let lineFeeds = word ^ (ones &* 0x0A)
            let hasZeroByte = ((carriageReturns &- ones) & ~carriageReturns | (lineFeeds &- ones) & ~lineFeeds) & highs
            if word & highs == 0 && hasZeroByte == 0 {
                index += 8
                continue
            }
            break
        }
        while index < count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A || byte >= 0x80 { return index }
            index += 1
        }
        return nil
    }

    private static func classify(_ bytes: UnsafeRawBufferPointer, at index: Int) -> ByteClass {
        let count = bytes.count
        switch bytes[index] {
        case 0x0D:
            guard index == count - 1 else {
                return .refused(
                    "the message holds a raw carriage return (byte 0x0D) at byte \(index); some readers end a line there, so it"
                        + " could hide a second message (write it as \\r inside a string)"
                )
            }
            return .ordinary
        case 0x0A:
            return .refused(
                "the message holds a raw line feed (byte 0x0A) at byte \(index); a message is one line (write it as \\n inside a string)"
            )
        case 0xC2 where index + 1 < count && bytes[index + 1] == 0x85:
            return separator(bytes, at: index, length: 2, escape: "\\u0085", name: "U+0085")
        case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA8:
            return separator(bytes, at: index, length: 3, escape: "\\u2028", name: "U+2028")
        case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA9:
            return separator(bytes, at: index, length: 3, escape: "\\u2029", name: "U+2029")
        default:
            return .ordinary
        }
    }

    private static func separator(
        _ bytes: UnsafeRawBufferPointer,
        at index: Int,
        length: Int,
        escape: StaticString,
        name: String
    ) -> ByteClass {
        var backslashes = 0
        while index - backslashes > 0, bytes[index - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
        guard backslashes % 2 == 0 else {
            return .refused("a raw \(name) at byte \(index) follows a backslash, which is not a JSON escape")
        }
        return .separator(length: length, escape: escape)
    }

    /// Copies `bytes`, escaping every separator; `firstSeparator` is where the first one starts.
    private static func rewrite(_ bytes: UnsafeRawBufferPointer, firstSeparator: Int) -> Verdict {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        output.append(contentsOf: bytes[0..<firstSeparator])
        var index = firstSeparator
        var runStart = firstSeparator
        while true {
            guard let found = nextCandidate(in: bytes, from: index) else { break }
            switch classify(bytes, at: found) {
            case .ordinary:
                index = found + 1
            case .refused(let reason):
                return .refused(reason)
            case .separator(let length, let escape):
                output.append(contentsOf: bytes[runStart..<found])
                output.append(contentsOf: UnsafeRawBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
                index = found + length
                runStart = index
            }
        }
        output.append(contentsOf: bytes[runStart..<bytes.count])
        return .rewritten(output)
    }
}
