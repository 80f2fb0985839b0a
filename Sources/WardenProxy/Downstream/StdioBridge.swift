import Foundation

/// Puts a pipe in front of a standard stream the event loop cannot watch: a regular file or a device.
///
/// `warden run < calls.jsonl > answers.jsonl` is a fair way to try a policy; the event loop needs pipes,
/// sockets or terminals, so a file gets a thread that copies it through a pipe.
public enum StdioBridge {
    public static func readableDescriptor(_ descriptor: CInt) throws -> CInt {
        guard isRegularFile(descriptor) else { return descriptor }
        var ends: [CInt] = [-1, -1]
        guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let (reader, writer) = (ends[0], ends[1])
        // The copying thread ends at the file's end, after closing the pipe.
        Thread.detachNewThread {
            copy(from: descriptor, to: writer)
            close(writer)
        }
        return reader
    }

    public static func writableDescriptor(_ descriptor: CInt) throws -> CInt {
        guard isRegularFile(descriptor) else { return descriptor }
        var ends: [CInt] = [-1, -1]
        guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let (reader, writer) = (ends[0], ends[1])
        // The copying thread ends when Warden closes its end of the pipe.
        Thread.detachNewThread {
            copy(from: reader, to: descriptor)
            close(reader)
        }
        return writer
    }

    /// Whether the event loop cannot watch the descriptor: anything but a pipe, a socket or a terminal
    /// (a regular file, or a device such as /dev/null, which epoll refuses).
    private static func isRegularFile(_ descriptor: CInt) -> Bool {
        // Pipes and sockets cannot seek; files and devices can. (Asking `lseek` spares the `stat` struct, which the
        // C modules this one imports disagree about.)
        if lseek(descriptor, 0, SEEK_CUR) == -1 { return false }
        return isatty(descriptor) == 0
    }

    private static func copy(from source: CInt, to sink: CInt) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(sink, $0.baseAddress! + offset, count - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
