#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads newline-terminated lines from a file descriptor, waiting at most a given time for each.
///
/// For scripted clients (`warden demo`, tests) that talk to a process over pipes; the proxy itself reads
/// through its event loop instead.
public struct LineReader: ~Copyable {
    private let descriptor: CInt
    private var buffer: [UInt8] = []
    private var isAtEnd = false

    public init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    /// The next line without its newline, nil at end of input, or a thrown `LineReader.Timeout`.
    public mutating func nextLine(timeoutMilliseconds: Int32 = 10_000) throws(LineReader.Timeout) -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            if isAtEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return buffer
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, timeoutMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { throw Timeout() }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                isAtEnd = true
            } else {
                buffer.append(contentsOf: chunk[..<count])
            }
        }
    }

    /// No line arrived in time.
    public struct Timeout: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String { "no line arrived in time" }
    }
}

/// Writes all of `bytes` to a descriptor, retrying on short writes; false if the other end is gone.
@discardableResult
public func writeAll(_ bytes: [UInt8], to descriptor: CInt) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return false }
        offset += written
    }
    return true
}
