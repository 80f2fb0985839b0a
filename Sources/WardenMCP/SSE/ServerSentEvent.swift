public import NIOCore

/// One event of a `text/event-stream`, as Streamable HTTP carries JSON-RPC messages.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `id:` field, which a client may send back as `Last-Event-ID` to resume after it.
    public var id: String?
    /// The `event:` field; MCP uses the default, `message`.
    public var event: String?
    /// The `data:` lines joined with `\n`.
    public var data: String
    /// The `retry:` field, in milliseconds.
    public var retry: Int?

    public init(id: String? = nil, event: String? = nil, data: String, retry: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retry = retry
    }

    /// The event as it goes on the wire, ending with the blank line that dispatches it.
    public func encoded() -> [UInt8] {
        var output: [UInt8] = []
        SSEEncoder.append(id: id, event: event, data: Array(data.utf8), retry: retry, to: &output)
        return output
    }
}

/// Writes events of a `text/event-stream`.
public enum SSEEncoder {
    /// Appends one event whose data is `data`; a line break inside the data becomes a new `data:` line.
    public static func append(id: String?, event: String?, data: some Collection<UInt8>, retry: Int? = nil, to output: inout [UInt8]) {
        if let id {
            output.append(contentsOf: "id: ".utf8)
            output.append(contentsOf: id.utf8.filter { $0 != 0x0A && $0 != 0x0D })
            output.append(0x0A)
        }
        if let event {
            output.append(contentsOf: "event: ".utf8)
            output.append(contentsOf: event.utf8.filter { $0 != 0x0A && $0 != 0x0D })
            output.append(0x0A)
        }
        if let retry {
            output.append(contentsOf: "retry: \(retry)\n".utf8)
        }
        output.append(contentsOf: "data: ".utf8)
        var previous: UInt8 = 0
        for byte in data {
            if byte == 0x0A || byte == 0x0D {
                // \r\n is one break, not two.
                if !(byte == 0x0A && previous == 0x0D) { output.append(contentsOf: "\ndata: ".utf8) }
            } else {
                output.append(byte)
            }
            previous = byte
        }
        output.append(contentsOf: [0x0A, 0x0A])
    }

    /// A message event for a JSON-RPC message.
    public static func message(_ message: ByteBuffer, id: String?) -> ByteBuffer {
        var output: [UInt8] = []
        output.reserveCapacity(message.readableBytes + 32)
        message.withUnsafeReadableBytes { append(id: id, event: "message", data: $0, to: &output) }
        return ByteBuffer(bytes: output)
    }

    /// A comment line, which keeps a quiet stream's connection from idling out.
    public static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")
}

/// Reads a `text/event-stream` incrementally: feed it bytes as they arrive, take complete events.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var data: [UInt8] = []
    private var hasData = false
    private var eventName: String?
    private var eventID: String?
    private var retry: Int?
    /// The most recent `id:` seen, kept across events as the specification's "last event ID buffer".
    public private(set) var lastEventID: String?
    /// The largest line accepted, so a peer cannot make the parser buffer without bound.
    public let maxLineLength: Int

    public struct LineTooLong: Error, Sendable, CustomStringConvertible {
        public let limit: Int
        public var description: String { "an event-stream line is longer than \(limit) bytes" }
    }

    public init(maxLineLength: Int = 4 * 1024 * 1024) {
        self.maxLineLength = maxLineLength
    }

    /// Consumes `bytes` and returns the events they completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == 0x0A && lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if let event = endLine() { events.append(event) }
            } else {
                guard line.count < maxLineLength else { throw LineTooLong(limit: maxLineLength) }
                line.append(byte)
            }
        }
        return events
    }

    /// Consumes a buffer's readable bytes.
    public mutating func feed(_ buffer: ByteBuffer) throws(LineTooLong) -> [ServerSentEvent] {
        try feed(buffer.readableBytesView)
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = String(decoding: line[..<(colon ?? line.count)], as: UTF8.self)
        var valueStart = colon.map { $0 + 1 } ?? line.count
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        switch name {
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            eventName = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { eventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if let number = Int(String(decoding: value, as: UTF8.self)) { retry = number }
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventName = nil
            eventID = nil
            retry = nil
        }
        if let eventID { lastEventID = eventID }
        // An event with no data lines only moves the last event id (a priming event).
        guard hasData else { return nil }
        return ServerSentEvent(id: eventID ?? lastEventID, event: eventName, data: String(decoding: data, as: UTF8.self), retry: retry)
    }
}
