import FuzzSupport
import NIOCore
import WardenMCP

/// Feeds a byte stream to `LineFramer` in arbitrary chunks and checks every frame against a plain reference split.
///
/// The first input byte picks the line limit (0...255 bytes, so the oversized path is common), the second seeds the
/// chunk sizes; the rest is the stream. Invariants: the frames are exactly the reference's (each LF-ended line, and
/// the unterminated tail, skipping blank lines), so every byte is accounted for; no message is over the limit or
/// holds a `\n`; an oversized report carries the line's true size and its first bytes; and the framer never holds
/// more than the limit plus one chunk once its complete lines are taken.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let limit = Int(input.choice())
    let seed = input.choice()
    let stream = input.payload
    var framer = LineFramer(maxMessageSize: limit)
    var frames: [FramedMessage] = []
    var offset = 0
    for chunk in ChunkSizes(total: stream.count, seed: seed, largest: 2 * limit + 3) {
        framer.append(ByteBuffer(bytes: stream[offset..<offset + chunk]))
        offset += chunk
        while let frame = framer.next() { frames.append(frame) }
        guard framer.bufferedByteCount <= limit + chunk else {
            fuzzFailure("the framer holds \(framer.bufferedByteCount) bytes with a limit of \(limit)", input: input.bytes)
        }
    }
    while let frame = framer.next() { frames.append(frame) }
    if let last = framer.finish() { frames.append(last) }
    compare(frames, with: referenceLines(stream), limit: limit, input: input.bytes)
    return 0
}

/// The lines of `stream` split on LF only, with the unterminated tail, as byte arrays.
private func referenceLines(_ stream: UnsafeRawBufferPointer) -> [[UInt8]] {
    var lines = stream.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    if stream.last == 0x0A || stream.isEmpty { lines.removeLast() }
    return lines
}

private func isBlank(_ line: [UInt8]) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
}

private func compare(_ frames: [FramedMessage], with lines: [[UInt8]], limit: Int, input: UnsafeRawBufferPointer) {
    var remaining = frames[...]
    for line in lines {
        if line.count <= limit && isBlank(line) { continue }
        guard let frame = remaining.popFirst() else {
            fuzzFailure("no frame for the line \(String(decoding: line, as: UTF8.self).debugDescription)", input: input)
        }
        if case .message(let buffer) = frame {
            let bytes = Array(buffer.readableBytesView)
            guard bytes == line, bytes.count <= limit, !bytes.contains(0x0A) else {
                fuzzFailure("message \(bytes) for the line \(line) with limit \(limit)", input: input)
            }
        } else if case .oversized(let byteCount, let head) = frame {
            let expectedHead = Array(line.prefix(LineFramer.headByteCount))
            guard line.count > limit, byteCount == line.count, Array(head.readableBytesView) == expectedHead else {
                fuzzFailure("oversized(\(byteCount)) for a line of \(line.count) bytes with limit \(limit)", input: input)
            }
        }
        // Any other frame is a refusal of this line, which is always allowed.
    }
    guard remaining.isEmpty else { fuzzFailure("\(remaining.count) frames more than the stream has lines", input: input) }
}
