import Foundation
import WardenJSON
import WardenMCP
import WardenProxy

/// Round-trip time of a `tools/call` to the demo server, directly and through `warden run`.
enum ProxyBenchmark {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func measure(command: [String], calls: Int, warmup: Int = 500) throws -> Statistics {
        let child = try ChildProcess.spawn(command)
        var reader = LineReader(descriptor: child.stdoutReader)
        defer {
            close(child.stdinWriter)
            _ = child.waitForExit()
            close(child.stdoutReader)
        }
        func roundTrip(_ id: Int, _ method: String, _ params: JSONValue) throws {
            let message = JSONRPCMessage.request(id: .number(JSONNumber(id)), method: method, params: params) + [0x0A]
            guard writeAll(message, to: child.stdinWriter) else { throw Failure(description: "the process closed its input") }
            while true {
                guard let line = try reader.nextLine(timeoutMilliseconds: 10_000) else {
                    throw Failure(description: "the process exited during the benchmark")
                }
                // Responses carry our id; anything else (notifications) is skipped.
                if let value = try? JSONParser.parse(line), value["id"] == .number(JSONNumber(id)) { return }
            }
        }
        try roundTrip(0, "initialize", ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "bench", "version": "1"]])
        _ = writeAll(JSONRPCMessage.notification(method: "notifications/initialized", params: nil) + [0x0A], to: child.stdinWriter)
        let params: JSONValue = ["name": "echo", "arguments": ["text": "hello from the benchmark"]]
        for id in 1...warmup { try roundTrip(id, "tools/call", params) }
        var samples: [Double] = []
        samples.reserveCapacity(calls)
        for id in (warmup + 1)...(warmup + calls) {
            let start = monotonicNanoseconds()
            try roundTrip(id, "tools/call", params)
            samples.append(Double(monotonicNanoseconds() - start))
        }
        return Statistics(samples)
    }
}
