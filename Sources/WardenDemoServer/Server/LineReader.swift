#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a file descriptor's bytes on `\n` only, handing each line to the caller without copying it.
///
/// A blocking `read` wakes the moment bytes arrive, so there is no polling delay between a request and its answer.
struct LineReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(64 * 1024)
    }

    /// Calls `body` for every line (without its `\n`) until end of input; a last unterminated line counts too.
    mutating func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            buffer.append(contentsOf: chunk[0..<count])
            deliverCompleteLines(body)
        }
        if start < buffer.count {
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        }
    }

    private mutating func deliverCompleteLines(_ body: (UnsafeRawBufferPointer) -> Void) {
        let newline = UInt8(ascii: "\n")
        buffer.withUnsafeBytes { bytes in
            var index = start
            while let end = bytes[index...].firstIndex(of: newline) {
                body(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                index = end + 1
            }
            start = index
        }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 64 * 1024 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
