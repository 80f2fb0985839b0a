public import NIOCore
public import WardenJSON

/// Replaces one value inside a message and keeps every other byte as the peer sent it.
///
/// Rewriting a `tools/list` answer must not reorder, reformat or drop the members the proxy does not understand;
/// splicing the new `result` into the original bytes guarantees that.
public enum MessageSplice {
    /// `message` with the bytes in `range` replaced by `newValue`, written compactly.
    public static func replacing(_ range: Range<Int>, in message: UnsafeRawBufferPointer, with newValue: JSONValue) -> [UInt8] {
        precondition(range.lowerBound >= 0 && range.upperBound <= message.count, "the range must lie inside the message")
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 64)
        output.append(contentsOf: message[..<range.lowerBound])
        newValue.encode(into: &output)
        output.append(contentsOf: message[range.upperBound...])
        return output
    }

    /// `message`'s readable bytes with `range` (relative to its reader index) replaced by `newValue`.
    public static func replacing(_ range: Range<Int>, in message: ByteBuffer, with newValue: JSONValue) -> [UInt8] {
        message.withUnsafeReadableBytes { replacing(range, in: $0, with: newValue) }
    }

    /// `message` with its top-level `id` replaced by `id`, or nil when it has no readable top-level `id`.
    ///
    /// Reads as deep as the inspector does, so any message the inspector accepted can have its id replaced: a
    /// message that could not would go on under the wrong id.
    public static func replacingID(in message: UnsafeRawBufferPointer, with id: JSONRPCID) -> [UInt8]? {
        guard let members = try? JSONScanner.members(of: message, maxDepth: MessageInspector.maxDepth),
            let member = members.first(where: { $0.hasKey("id", in: message) })
        else { return nil }
        return replacing(member.valueRange, in: message, with: id.value)
    }

    /// `message`'s readable bytes with their top-level `id` replaced, or nil when it has none.
    public static func replacingID(in message: ByteBuffer, with id: JSONRPCID) -> ByteBuffer? {
        message.withUnsafeReadableBytes { replacingID(in: $0, with: id) }.map { ByteBuffer(bytes: $0) }
    }
}
