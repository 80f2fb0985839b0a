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
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json:
            return JSONLogHandler(label: label, level: level)
        }
    }
}
