#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The example MCP server that `warden demo`, the tests and the benchmarks put behind Warden.
///
/// It reads newline-delimited JSON-RPC on stdin and answers on stdout with one unbuffered `write` per message, so it
/// answers in microseconds: it is the "raw upstream" the proxy overhead is measured against.
public enum DemoServer {
    /// Serves stdin/stdout until stdin closes, and returns the process exit status (1 if stdout broke).
    public static func run(options: DemoServerOptions) -> Int32 {
        // A client that goes away must not kill the server mid-write; the failed write is noticed instead.
        signal(SIGPIPE, SIG_IGN)
        var connection = DemoConnection(options: options)
        var reader = LineReader(descriptor: 0)
        let output = DescriptorWriter(descriptor: 1)
        let log = DescriptorWriter(descriptor: 2)
        var isOutputBroken = false
        reader.forEachLine { line in
            let replies = connection.receive(line)
            for logLine in replies.logLines {
                log.send(Array(logLine.utf8) + [0x0A])
            }
            for message in replies.messages where !isOutputBroken {
                // Keep draining stdin after a broken stdout, so the client never blocks writing to us.
                isOutputBroken = !output.send(message + [0x0A])
            }
        }
        return isOutputBroken ? 1 : 0
    }
}
