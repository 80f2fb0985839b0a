public import NIOCore

/// One line of a newline-delimited JSON-RPC stream, or the report of a line too long to keep.
public enum FramedMessage: Sendable, Equatable {
    /// The bytes of one line, without its `\n`, exactly as they arrived.
    case message(ByteBuffer)
    /// A line longer than the framer's limit: it was discarded as it streamed in, and only its size and its first
    /// bytes (at most `LineFramer.headByteCount`) were kept, so the caller can still try to answer its `id`.
    case oversized(byteCount: Int, head: ByteBuffer)
}
