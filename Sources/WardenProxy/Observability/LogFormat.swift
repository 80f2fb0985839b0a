public import Logging

/// How log lines are written: plain text for people, or one JSON object a line for pipelines (`--log-format`).
///
/// A struct with static members rather than an enum, so a format can be added without breaking a caller's `switch`.
public struct LogFormat: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable, CaseIterable {
        case text, json
    }

    private let base: Base

    /// swift-log's stream format: a timestamp, the level, the message and the metadata as `key=value`.
    public static let text = LogFormat(base: .text)
    /// One JSON object a line; see ``JSONLogHandler``.
    public static let json = LogFormat(base: .json)

    /// Every format, in the order a help text lists them.
    public static let all: [LogFormat] = Base.allCases.map(LogFormat.init(base:))

    private init(base: Base) {
        self.base = base
    }

    /// The format named `name` (`text` or `json`, any case), or nil.
    public init?(_ name: String) {
        guard let base = Base(rawValue: name.lowercased()) else { return nil }
        self.base = base
    }

    public var description: String { base.rawValue }

    /// A handler writing `format` to standard error, at `level`.
    public static func makeHandler(label: String, format: LogFormat, level: Logger.Level = .info) -> any LogHandler {
        switch format.base {
        case .text:
            var handler = DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        case .json:
            return JSONLogHandler(label: label, level: level)
        }
    }
}

/// Another handler, with its metadata kept aside until a line is written.
///
/// swift-log's stream handler renders all its metadata each time one key is set, and the HTTP server sets a request
/// id on a logger for every request; most of those loggers never write a line. Here setting a key is a dictionary
/// store, and the inner handler sees the metadata only with a line it writes.
public struct DeferredMetadataLogHandler<Inner: LogHandler>: LogHandler {
    private var inner: Inner
    public var metadata: Logger.Metadata = [:]

    public init(_ inner: Inner) {
        self.inner = inner
        self.metadata = inner.metadata
        self.inner.metadata = [:]
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        inner.log(event: event)
    }
}
