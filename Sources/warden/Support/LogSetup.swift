import Logging
import WardenProxy

enum LogSetup {
    /// A logger writing to stderr, where it cannot disturb the protocol on stdout: plain text, or one JSON object a line.
    static func makeStandardErrorLogger(label: String, level: Logger.Level, json: Bool = false) -> Logger {
        var logger = Logger(label: label) { label in
            json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
        logger.logLevel = level
        return logger
    }
}
