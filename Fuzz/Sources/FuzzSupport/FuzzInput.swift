/// A fuzzer's input read as a stream of choices (chunk sizes, limits) followed by the payload.
///
/// Deriving choices from the input itself keeps every run reproducible from the crash file alone.
public struct FuzzInput {
    public let bytes: UnsafeRawBufferPointer
    private var choiceIndex = 0

    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = UnsafeRawBufferPointer(start: data, count: size)
    }

    /// One byte of choice from the front of the input, or 0 when there is none left.
    public mutating func choice() -> UInt8 {
        guard choiceIndex < bytes.count else { return 0 }
        defer { choiceIndex += 1 }
        return bytes[choiceIndex]
    }

    /// The bytes after the choices taken so far.
    public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[min(choiceIndex, bytes.count)...])
    }
}

/// Splits a byte count into chunk sizes drawn from a seeded sequence, so a stream arrives in arbitrary pieces.
public struct ChunkSizes: Sequence, IteratorProtocol {
    private var state: UInt64
    private var remaining: Int
    private let largest: Int

    public init(total: Int, seed: UInt8, largest: Int) {
        state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        remaining = total
        self.largest = Swift.max(1, largest)
    }

    public mutating func next() -> Int? {
        guard remaining > 0 else { return nil }
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        let size = Swift.min(remaining, Int(state % UInt64(largest)) + 1)
        remaining -= size
        return size
    }
}

/// Stops the process with a message libFuzzer reports as a crash, showing the input's bytes as text.
public func fuzzFailure(_ message: String, input: UnsafeRawBufferPointer) -> Never {
    let shown = String(decoding: input.prefix(512), as: UTF8.self).debugDescription
    fatalError("\(message)\ninput (\(input.count) bytes, first 512 shown): \(shown)")
}
