import WardenJSON
import WardenMCP

/// Finds a message's `id` in the first bytes of a message too large to parse whole.
///
/// A refusal of an oversized request should still reach the request that caused it, so the client does not
/// wait forever; this reads just far enough to find a top-level `"id"` member and gives up otherwise.
enum IDRecovery {
    static func topLevelID(in bytes: UnsafeRawBufferPointer) -> JSONRPCID? {
        var index = 0
        var depth = 0
        var expectKey = false
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                depth += 1
                expectKey = depth == 1
                index += 1
            case UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","):
                expectKey = depth == 1
                index += 1
            case UInt8(ascii: "\""):
                guard let end = stringEnd(bytes, from: index) else { return nil }
                let isIDKey = depth == 1 && expectKey && end - index == 3 && bytes[index + 1] == UInt8(ascii: "i")
                    && bytes[index + 2] == UInt8(ascii: "d")
                expectKey = false
                index = end + 1
                if isIDKey { return idValue(bytes, after: index) }
            default:
                index += 1
            }
        }
        return nil
    }

    /// The index of the quote that closes the string opening at `start`.
    private static func stringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index
            default: index += 1
            }
        }
        return nil
    }

    private static func idValue(_ bytes: UnsafeRawBufferPointer, after keyEnd: Int) -> JSONRPCID? {
        var index = keyEnd
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
        guard index < bytes.count else { return nil }
        let start = index
        if bytes[index] == UInt8(ascii: "\"") {
            guard let end = stringEnd(bytes, from: index) else { return nil }
            index = end + 1
        } else {
            while index < bytes.count, bytes[index] == UInt8(ascii: "-") || (bytes[index] >= 0x30 && bytes[index] <= 0x39) { index += 1 }
        }
        guard index > start else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        // Wrap the token in a tiny message so the inspector, which owns the id rules, validates it.
        var probe = Array("{\"jsonrpc\":\"2.0\",\"id\":".utf8)
        probe.append(contentsOf: text)
        probe.append(contentsOf: ",\"result\":null}".utf8)
        let inspected = probe.withUnsafeBytes { MessageInspector.inspect($0) }
        if case .success(let envelope) = inspected { return envelope.id }
        return nil
    }
}
