import WardenTesting
import NIOCore
import Testing
import WardenMCP

struct LineFramerTests {
    /// Feeds `bytes` in chunks of `chunkSize`, draining after every append, then finishes.
    static func frame(_ bytes: [UInt8], chunkSize: Int, maxMessageSize: Int, drainEachChunk: Bool = true) -> [FramedMessage] {
        var framer = LineFramer(maxMessageSize: maxMessageSize)
        var frames: [FramedMessage] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            framer.append(ByteBuffer(bytes: bytes[start..<end]))
            if drainEachChunk { while let frame = framer.next() { frames.append(frame) } }
            start = end
        }
        while let frame = framer.next() { frames.append(frame) }
        while let frame = framer.finish() { frames.append(frame) }
        return frames
    }

    @Test("splits on \\n only, keeping CR, VT and FF inside the line, and skipping blank lines")
    func splitsOnNewlineOnly() {
        let input = Array("{\"a\":1}\r\n\n  \t\r\n[1,\r2]\u{0B}\u{0C}\nlast".utf8)
        let frames = Self.frame(input, chunkSize: input.count, maxMessageSize: 100)
        #expect(
            frames == [
                .message(ByteBuffer(string: "{\"a\":1}\r")),
                .message(ByteBuffer(string: "[1,\r2]\u{0B}\u{0C}")),
                .message(ByteBuffer(string: "last")),
            ]
        )
    }

    @Test("reports a line over the limit once, at its newline, with its size and head, and goes on framing")
    func reportsOversizedLines() {
        let input = Array("0123456789AB\nok\n0123456789\n".utf8)
        let frames = Self.frame(input, chunkSize: 1, maxMessageSize: 10)
        #expect(
            frames == [
                .oversized(byteCount: 12, head: ByteBuffer(string: "0123456789AB")),
                .message(ByteBuffer(string: "ok")),
                .message(ByteBuffer(string: "0123456789")),
            ]
        )
    }

    @Test("reports an oversized last line without a newline at finish")
    func reportsOversizedTail() {
        let frames = Self.frame(Array("abc\n0123456789AB".utf8), chunkSize: 3, maxMessageSize: 10)
        #expect(frames == [.message(ByteBuffer(string: "abc")), .oversized(byteCount: 12, head: ByteBuffer(string: "0123456789AB"))])
    }

    @Test("keeps only the first 64 KiB of an oversized line however it is chunked", arguments: [1000, 65536, 300_000])
    func keepsOnlyTheHead(chunkSize: Int) {
        let line = (0..<300_000).map { UInt8(32 + $0 % 90) }
        let frames = Self.frame(line + [0x0A] + Array("{}".utf8), chunkSize: chunkSize, maxMessageSize: 100_000)
        #expect(
            frames == [
                .oversized(byteCount: 300_000, head: ByteBuffer(bytes: line.prefix(LineFramer.headByteCount))),
                .message(ByteBuffer(string: "{}")),
            ]
        )
    }

    @Test("matches the oracle for every chunk size from 1 to the whole input", arguments: 0..<12)
    func matchesOracleForEveryChunkSize(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let maxMessageSize = Int.random(in: 1...16, using: &random)
        let input = FramingOracle.randomStream(using: &random, maxMessageSize: maxMessageSize)
        let expected = FramingOracle.frames(of: input, maxMessageSize: maxMessageSize)
        for chunkSize in 1...max(1, input.count) {
            let drained = Self.frame(input, chunkSize: chunkSize, maxMessageSize: maxMessageSize)
            #expect(drained == expected, "chunk size \(chunkSize), input \(input)")
            let batched = Self.frame(input, chunkSize: chunkSize, maxMessageSize: maxMessageSize, drainEachChunk: false)
            #expect(batched == expected, "chunk size \(chunkSize) without draining, input \(input)")
        }
    }

    @Test("never holds more than the limit plus one chunk of a line it will discard, even if nobody calls next()")
    func boundsMemory() {
        var framer = LineFramer(maxMessageSize: 100_000)
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 30_000)
        var largest = 0
        for _ in 0..<400 {
            framer.append(chunk)
            largest = max(largest, framer.bufferedByteCount)
        }
        #expect(largest <= 100_000 + 30_000)
        framer.append(ByteBuffer(string: "\n"))
        let frame = framer.next()
        #expect(frame == .oversized(byteCount: 12_000_000, head: ByteBuffer(repeating: UInt8(ascii: "x"), count: LineFramer.headByteCount)))
        #expect(framer.bufferedByteCount == 0)
    }

    @Test("yields nothing for empty input and for input of blank lines")
    func yieldsNothingForBlankInput() {
        #expect(Self.frame([], chunkSize: 1, maxMessageSize: 10).isEmpty)
        #expect(Self.frame(Array("\n \n\r\n\t".utf8), chunkSize: 2, maxMessageSize: 10).isEmpty)
    }

    @Test("a limit of zero refuses every non-empty line")
    func zeroLimit() {
        #expect(
            Self.frame(Array("a\n\nb".utf8), chunkSize: 1, maxMessageSize: 0) == [
                .oversized(byteCount: 1, head: ByteBuffer(string: "a")), .oversized(byteCount: 1, head: ByteBuffer(string: "b")),
            ]
        )
    }
}
