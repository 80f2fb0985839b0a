public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes each log entry as one JSON object on a line (`--log-format json`), for log pipelines to ingest as is.
///
/// Keys, in this order: `time` (RFC 3339, UTC, milliseconds), `level`, `label`, `message`, then the metadata with
/// its dotted keys kept flat (`tool.name`, `decision.rule`, …) in sorted order. Metadata values are JSON strings;
/// nested arrays and dictionaries become JSON arrays and objects. A logged error adds `error.message` and
/// `error.type`, as swift-log's own stream handler does. A metadata key that would repeat one of the four fixed keys
/// is written with a leading underscore (`_message`), so every line stays an object with unique keys.
///
/// Decision entries carry the audit record's fields and never argument values: what is logged is what callers put
/// in the metadata, and the proxy puts only digests there.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    /// The logger's label, written as `label` on every line.
    public let label: String
    private let sink: Sink

    /// Where finished lines go.
    private enum Sink: Sendable {
        case standardError
        case lines(@Sendable (String) -> Void)
    }

    /// A handler writing to standard error, where it cannot disturb a protocol spoken on standard output.
    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = .standardError
    }

    /// A handler passing each line, newline included, to `write`: for tests, or for a destination of the caller's.
    public init(
        label: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = .lines(write)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = render(event, at: LogTimestamp.now())
        switch sink {
        case .standardError:
            Self.writeToStandardError(line)
        case .lines(let write):
            write(String(decoding: line, as: UTF8.self))
        }
    }

    /// The line for `event`, newline included.
    func render(_ event: LogEvent, at time: LogTimestamp) -> [UInt8] {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            if merged["error.message"] == nil { merged["error.message"] = "\(error)" }
            if merged["error.type"] == nil { merged["error.type"] = "\(String(reflecting: type(of: error)))" }
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + merged.count * 48)
        bytes.append(contentsOf: #"{"time":""#.utf8)
        time.write(into: &bytes)
        bytes.append(contentsOf: #"","level":""#.utf8)
        bytes.append(contentsOf: event.level.rawValue.utf8)
        bytes.append(contentsOf: #"","label":"#.utf8)
        JSONLineEncoder.appendString(label, to: &bytes)
        bytes.append(contentsOf: #","message":"#.utf8)
        JSONLineEncoder.appendString(event.message.description, to: &bytes)
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            bytes.append(UInt8(ascii: ","))
            JSONLineEncoder.appendString(Self.fixedKeys.contains(key) ? "_" + key : key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONLineEncoder.appendValue(value, to: &bytes)
        }
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }

    /// Keys every line has; metadata under the same names is renamed rather than allowed to repeat them.
    private static let fixedKeys: Set<String> = ["time", "level", "label", "message"]

    /// Serialises writers so that lines from several threads never interleave, even past the pipe's atomic size.
    private static let standardErrorLock = Mutex(())

    private static func writeToStandardError(_ line: [UInt8]) {
        standardErrorLock.withLock { _ in
            line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // a closed or full stderr loses the line; logging must never stop the proxy
                    }
                }
            }
        }
    }
}
