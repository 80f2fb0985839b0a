import WardenTesting
import NIOCore
import WardenMCP

/// The framing rules written the obvious way, over a whole input at once, to check the streaming framers against.
enum FramingOracle {
    static func frames(of bytes: [UInt8], maxMessageSize: Int) -> [FramedMessage] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).compactMap { line in
            if line.count > maxMessageSize {
                return .oversized(byteCount: line.count, head: ByteBuffer(bytes: line.prefix(LineFramer.headByteCount)))
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
            return .message(ByteBuffer(bytes: line))
        }
    }

    /// A stream of lines of every kind: messages, blank lines, whitespace-only lines, CR and CRLF, long lines.
    static func randomStream(using random: inout SplitMix, maxMessageSize: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...8, using: &random) {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: bytes += []
            case 1: bytes += Array(" \t\r ".utf8.prefix(Int.random(in: 1...4, using: &random)))
            case 2: bytes += Array(#"{"id":1}"#.utf8) + [0x0D]
            case 3: bytes += [UInt8](repeating: UInt8(ascii: "x"), count: maxMessageSize + Int.random(in: -1...3, using: &random))
            default:
                let length = Int.random(in: 1...(maxMessageSize * 2), using: &random)
                bytes += (0..<length).map { _ in [UInt8(ascii: "a"), 0x0D, 0x0B, 0x0C, 0x20, UInt8(ascii: "{")].randomElement(using: &random)! }
            }
            bytes.append(0x0A)
        }
        if Bool.random(using: &random) { bytes += Array("tail".utf8.prefix(Int.random(in: 0...4, using: &random))) }
        return bytes
    }
}
