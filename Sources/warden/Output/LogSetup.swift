import Logging
import WardenProxy

enum LogSetup {
    /// A logger writing to stderr, where it cannot disturb the protocol on stdout: plain text, or one JSON object a line.
    static func makeStandardErrorLogger(label: String, level: Logger.Level, json: Bool = false) -> Logger {
        Logger(label: label) { label in LogFormat.makeHandler(label: label, format: json ? .json : .text, level: level) }
    }
}
