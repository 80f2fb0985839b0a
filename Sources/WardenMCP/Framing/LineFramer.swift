public import NIOCore

/// Splits a byte stream into newline-delimited JSON-RPC messages, as MCP's stdio transport sends them.
///
/// Lines are split on `\n` only; empty and whitespace-only lines are skipped. A line longer than
/// `maxMessageSize` is never held in memory: its bytes are dropped as they arrive and it is reported once, at its
/// `\n`, as `.oversized` with its total size and first `headByteCount` bytes.
public struct LineFramer: Sendable {
    /// How many bytes of an oversized line are kept, enough to find the `id` of any reasonable message.
    public static let headByteCount = 64 * 1024

    private var framing: LineFraming
    private var pending = ByteBuffer()

    /// The longest line, in bytes without its `\n`, that is delivered as a message.
    public var maxMessageSize: Int { framing.maxMessageSize }

    /// Bytes held for lines not yet returned, excluding the kept head of a line being discarded.
    ///
    /// Stays below `maxMessageSize` plus one appended chunk, plus any complete lines the caller has not taken.
    public var bufferedByteCount: Int { pending.readableBytes }

    public init(maxMessageSize: Int = 4 * 1024 * 1024) {
        framing = LineFraming(maxMessageSize: maxMessageSize)
    }

    /// Adds bytes from the stream.
    public mutating func append(_ bytes: ByteBuffer) {
        if pending.readableBytes == 0 {
            pending = bytes
        } else {
            if pending.readerIndex > 64 * 1024 { pending.discardReadBytes() }
            pending.writeImmutableBuffer(bytes)
        }
        // Give up on an overlong line now rather than at the next `next()`, so appends alone cannot grow memory.
        framing.discardOverlongTail(&pending)
    }

    /// The next complete line, or nil until more bytes arrive.
    public mutating func next() -> FramedMessage? {
        framing.next(from: &pending)
    }

    /// What remains at the end of the stream: a last line without `\n`, if it is not blank.
    ///
    /// Call `next()` until it returns nil first; then call this once.
    public mutating func finish() -> FramedMessage? {
        framing.finish(from: &pending)
    }
}
