import Foundation
public import WardenJSON
import WardenMCP
import WardenPolicy
public import WardenProxy
import Synchronization

/// A process under test with its stdin, stdout and stderr on pipes, and bounded waits on all of them.
///
/// Nothing here blocks without a deadline: a misbehaving proxy fails the test instead of hanging the suite.
public final class RunningProcess: Sendable {
    public let child: ChildProcess
    private let output: Mutex<LineReader>
    private let errorOutput: ByteCollector
    private let exitStatus: Mutex<Int32?>
    private let inputClosed = Mutex(false)
    /// Things the process needs for as long as it runs, such as the directory holding its files.
    private let attachments: [any AnyObject & Sendable]

    /// Starts `arguments` with stderr captured (and drained on a thread, so the child never blocks on it).
    ///
    /// - Parameter keeping: objects kept alive as long as this value, such as the temporary directory of its files.
    public init(_ arguments: [String], environment: [String: String] = [:], keeping attachments: [any AnyObject & Sendable] = []) throws {
        self.attachments = attachments
        child = try ChildProcess.spawn(arguments, environment: environment, capturingStandardError: true)
        output = Mutex(LineReader(descriptor: child.stdoutReader))
        errorOutput = ByteCollector()
        exitStatus = Mutex(nil)
        if let descriptor = child.stderrReader {
            // Ends when the process and everything it started close stderr.
            Thread.detachNewThread { [errorOutput] in
                var chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { break }
                    errorOutput.bytes.withLock { $0.append(contentsOf: chunk[..<count]) }
                }
                close(descriptor)
                errorOutput.isClosed.withLock { $0 = true }
            }
        }
    }

    deinit {
        if exitStatus.withLock({ $0 }) == nil {
            child.signal(SIGKILL)
            _ = child.waitForExit()
        }
        close(child.stdoutReader)
        closeInput()
    }

    /// Everything the process wrote to stderr so far.
    public var standardError: String {
        errorOutput.bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }

    /// Waits until stderr contains `text` `count` times; false if it does not within `timeout`.
    public func waitForStandardError(containing text: String, count: Int = 1, timeout: Duration = .seconds(10)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if standardError.components(separatedBy: text).count - 1 >= count { return true }
            usleep(10_000)
        }
        return false
    }

    /// Sends one line (a newline is added).
    @discardableResult
    public func send(_ line: String) -> Bool {
        writeAll(Array((line + "\n").utf8), to: child.stdinWriter)
    }

    /// Sends raw bytes as they are.
    @discardableResult
    public func sendRaw(_ bytes: [UInt8]) -> Bool {
        writeAll(bytes, to: child.stdinWriter)
    }

    /// Sends a JSON value as one line.
    @discardableResult
    public func send(_ message: JSONValue) -> Bool {
        send(message.encodedString)
    }

    /// The next line of stdout, or nil at its end.
    public func readLine(timeout: Duration = .seconds(10)) throws -> String? {
        let milliseconds = Int32(timeout.wholeMilliseconds)
        let line = try output.withLock { reader in try reader.nextLine(timeoutMilliseconds: milliseconds) }
        return line.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The next stdout line, parsed as JSON.
    public func readMessage(timeout: Duration = .seconds(10)) throws -> JSONValue {
        guard let line = try readLine(timeout: timeout) else { throw ProcessTestError("stdout ended; stderr: \(standardError)") }
        return try JSONParser.parse(line)
    }

    /// Sends a request and returns the response with its id; messages that arrive before it go to `others`.
    public func request(
        id: Int,
        method: String,
        params: JSONValue? = nil,
        others: inout [JSONValue],
        timeout: Duration = .seconds(10)
    ) throws -> JSONValue {
        send(.object(request(id: id, method: method, params: params)))
        while true {
            let message = try readMessage(timeout: timeout)
            if message["id"] == .number(JSONNumber(id)), message["method"] == nil { return message }
            others.append(message)
        }
    }

    /// Sends a request and returns the response with its id, ignoring anything else.
    public func request(id: Int, method: String, params: JSONValue? = nil, timeout: Duration = .seconds(10)) throws -> JSONValue {
        var others: [JSONValue] = []
        return try request(id: id, method: method, params: params, others: &others, timeout: timeout)
    }

    private func request(id: Int, method: String, params: JSONValue?) -> JSONObject {
        var object: JSONObject = ["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": .string(method)]
        if let params { object["params"] = params }
        return object
    }

    /// Closes the process's stdin, as a client that goes away does.
    public func closeInput() {
        let shouldClose = inputClosed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if shouldClose { close(child.stdinWriter) }
    }

    /// Waits for the process to exit and returns its status; kills it and throws if it takes longer than `timeout`.
    public func waitForExit(timeout: Duration = .seconds(20)) throws -> Int32 {
        if let status = exitStatus.withLock({ $0 }) { return status }
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            let result = waitpid(child.pid, &status, WNOHANG)
            if result == child.pid {
                let low = status & 0x7f
                let code = low == 0 ? (status >> 8) & 0xff : 128 + low
                exitStatus.withLock { $0 = code }
                // Let the reader thread take in the last of stderr before the test looks at it (bounded: a
                // grandchild may keep the stream open).
                let drainDeadline = ContinuousClock.now + .seconds(2)
                while !errorOutput.isClosed.withLock({ $0 }), ContinuousClock.now < drainDeadline { usleep(2_000) }
                return code
            }
            usleep(2_000)
        }
        child.signal(SIGKILL)
        _ = child.waitForExit()
        exitStatus.withLock { $0 = -1 }
        throw ProcessTestError("the process did not exit within \(timeout); stderr: \(standardError)")
    }
}

/// A failure of a process-level test, with what the process said.
public struct ProcessTestError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Bytes gathered by a reader thread while the test reads them.
final class ByteCollector: Sendable {
    let bytes = Mutex<[UInt8]>([])
    /// Set when the reader reached the end of the stream.
    let isClosed = Mutex(false)
}
