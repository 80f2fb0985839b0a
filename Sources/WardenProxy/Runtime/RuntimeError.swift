/// Why Warden could not start serving: something outside it was not there (a command, a free port).
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case upstreamNotStarted, cannotListen }

        private let base: Base

        /// The upstream server could not be started (a command that does not exist or cannot run).
        public static let upstreamNotStarted = Code(base: .upstreamNotStarted)
        /// A port asked for (`--metrics`, `--console`) could not be listened on.
        public static let cannotListen = Code(base: .cannotListen)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What went wrong, naming the flag to change.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
