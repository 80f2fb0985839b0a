import Logging

enum LogSetup {
    /// A logger writing to stderr, where it cannot disturb the protocol on stdout.
    static func makeStandardErrorLogger(label: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: label) { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = level
        return logger
    }
}
