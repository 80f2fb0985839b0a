import WardenTesting
import NIOCore
import NIOEmbedded
import Testing
import WardenMCP

struct LineFrameDecoderTests {
    static func decode(_ bytes: [UInt8], chunkSize: Int, maxMessageSize: Int) throws -> [FramedMessage] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxMessageSize: maxMessageSize)))
        var frames: [FramedMessage] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            try channel.writeInbound(ByteBuffer(bytes: bytes[start..<end]))
            while let frame = try channel.readInbound(as: FramedMessage.self) { frames.append(frame) }
            start = end
        }
        // The end of input delivers a last line that has no newline.
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        while let frame = try channel.readInbound(as: FramedMessage.self) { frames.append(frame) }
        _ = try channel.finish()
        while let frame = try channel.readInbound(as: FramedMessage.self) { frames.append(frame) }
        return frames
    }

    @Test("frames a channel's bytes like the oracle, for every chunk size", arguments: 0..<6)
    func matchesOracle(seed: UInt64) throws {
        var random = SplitMix(seed: 100 + seed)
        let maxMessageSize = Int.random(in: 1...16, using: &random)
        let input = FramingOracle.randomStream(using: &random, maxMessageSize: maxMessageSize)
        let expected = FramingOracle.frames(of: input, maxMessageSize: maxMessageSize)
        for chunkSize in 1...max(1, input.count) {
            #expect(try Self.decode(input, chunkSize: chunkSize, maxMessageSize: maxMessageSize) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test("delivers the last line at end of input even without a newline")
    func deliversTail() throws {
        let frames = try Self.decode(Array("{\"id\":1}\n{\"id\":2}".utf8), chunkSize: 4, maxMessageSize: 100)
        #expect(frames == [.message(ByteBuffer(string: "{\"id\":1}")), .message(ByteBuffer(string: "{\"id\":2}"))])
    }

    @Test("discards a long line as it streams, keeping its head")
    func discardsLongLines() throws {
        let long = [UInt8](repeating: UInt8(ascii: "z"), count: 200_000)
        let frames = try Self.decode(long + Array("\nok\n".utf8), chunkSize: 4096, maxMessageSize: 1000)
        #expect(
            frames == [
                .oversized(byteCount: 200_000, head: ByteBuffer(bytes: long.prefix(LineFramer.headByteCount))), .message(ByteBuffer(string: "ok")),
            ]
        )
    }
}
