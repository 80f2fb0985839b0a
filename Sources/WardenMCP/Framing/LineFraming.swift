import NIOCore

/// The framing rules that `LineFramer` and `LineFrameDecoder` share: split on `\n` only, skip blank lines, and
/// discard a line over the limit as it streams instead of buffering it.
///
/// CR, VT and FF are not separators: JSON allows a CR between tokens, so a CRLF stream yields lines that end in
/// CR, which a JSON reader treats as whitespace.
struct LineFraming: Sendable {
    let maxMessageSize: Int
    /// Bytes at the front of the buffer already known to hold no `\n`, so no byte is searched twice.
    private var searched = 0
    /// The line being discarded: bytes seen so far and the copy of its start.
    private var discarding: (byteCount: Int, head: ByteBuffer)?

    init(maxMessageSize: Int) {
        precondition(maxMessageSize >= 0, "maxMessageSize must not be negative")
        self.maxMessageSize = maxMessageSize
    }

    /// Takes the next frame from the front of `buffer`, or consumes what it must discard and returns nil.
    mutating func next(from buffer: inout ByteBuffer) -> FramedMessage? {
        while true {
            guard let newline = Self.firstNewline(in: buffer, from: searched) else {
                searched = buffer.readableBytes
                discardIfTooLong(&buffer)
                return nil
            }
            searched = 0
            let line = buffer.readSlice(length: newline)!
            buffer.moveReaderIndex(forwardBy: 1)
            if let frame = frame(for: line) { return frame }
        }
    }

    /// Drops the unfinished line at the end of `buffer` if it is already over the limit, and consumes nothing else.
    mutating func discardOverlongTail(_ buffer: inout ByteBuffer) {
        if let newline = Self.firstNewline(in: buffer, from: searched) {
            searched = newline
            return
        }
        searched = buffer.readableBytes
        discardIfTooLong(&buffer)
    }

    /// Takes what remains at the end of input, which ends the last line even without a `\n`.
    mutating func finish(from buffer: inout ByteBuffer) -> FramedMessage? {
        if let frame = next(from: &buffer) { return frame }
        searched = 0
        let rest = buffer.readSlice(length: buffer.readableBytes)!
        if discarding == nil && rest.readableBytes == 0 { return nil }
        return frame(for: rest)
    }

    /// The frame for a complete line, or nil when it is blank.
    private mutating func frame(for line: ByteBuffer) -> FramedMessage? {
        if let discarded = discarding {
            discarding = nil
            var head = discarded.head
            Self.extend(&head, from: line)
            return .oversized(byteCount: discarded.byteCount + line.readableBytes, head: head)
        }
        if line.readableBytes > maxMessageSize {
            var head = ByteBuffer()
            Self.extend(&head, from: line)
            return .oversized(byteCount: line.readableBytes, head: head)
        }
        if Self.isBlank(line) { return nil }
        return .message(line)
    }

    /// Drops the unfinished line in `buffer` once it is over the limit, keeping only its size and head.
    private mutating func discardIfTooLong(_ buffer: inout ByteBuffer) {
        let pending = buffer.readableBytes
        guard discarding != nil || pending > maxMessageSize else { return }
        var state = discarding ?? (byteCount: 0, head: ByteBuffer())
        // The head is copied rather than sliced so the large buffer behind it can be freed.
        Self.extend(&state.head, from: buffer)
        state.byteCount += pending
        discarding = state
        buffer.moveReaderIndex(forwardBy: pending)
        searched = 0
    }

    private static func extend(_ head: inout ByteBuffer, from bytes: ByteBuffer) {
        let wanted = min(LineFramer.headByteCount - head.readableBytes, bytes.readableBytes)
        guard wanted > 0 else { return }
        head.writeImmutableBuffer(bytes.getSlice(at: bytes.readerIndex, length: wanted)!)
    }

    private static func firstNewline(in buffer: ByteBuffer, from start: Int) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            var index = start
            while index < bytes.count {
                if bytes[index] == 0x0A { return index }
                index += 1
            }
            return nil
        }
    }

    private static func isBlank(_ line: ByteBuffer) -> Bool {
        line.withUnsafeReadableBytes { bytes in
            bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        }
    }
}
