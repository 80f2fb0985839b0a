public import NIOCore

/// A channel decoder that frames a stdio byte stream into `FramedMessage`s, with `LineFramer`'s rules.
///
/// Messages are slices of the channel's own buffer, so a line is never copied on its way to the relay.
/// Use it as `ByteToMessageHandler(LineFrameDecoder(maxMessageSize: …))`.
public struct LineFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = FramedMessage

    private var framing: LineFraming

    public init(maxMessageSize: Int = 4 * 1024 * 1024) {
        framing = LineFraming(maxMessageSize: maxMessageSize)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> FramedMessage? {
        framing.next(from: &buffer)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> FramedMessage? {
        framing.finish(from: &buffer)
    }
}
