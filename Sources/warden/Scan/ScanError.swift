/// Why a scan could not list a server's tools, in a sentence a person can act on.
struct ScanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable code that tests match on.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notStarted, closed, timedOut, unreachable, refused, malformed, cursorLoop, tooManyPages, notWritten
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The server's process could not be started.
        static let notStarted = Code(.notStarted)
        /// The server exited or closed its output before it answered.
        static let closed = Code(.closed)
        /// The server did not answer within `--timeout`.
        static let timedOut = Code(.timedOut)
        /// No connection to the server's URL could be made.
        static let unreachable = Code(.unreachable)
        /// The server answered with a JSON-RPC error (or an HTTP error status).
        static let refused = Code(.refused)
        /// The server's answer was not what MCP says it is.
        static let malformed = Code(.malformed)
        /// `tools/list` handed out a cursor it had handed out before.
        static let cursorLoop = Code(.cursorLoop)
        /// `tools/list` kept handing out new cursors past the page bound.
        static let tooManyPages = Code(.tooManyPages)
        /// The starter policy could not be written.
        static let notWritten = Code(.notWritten)

        var description: String { base.rawValue }
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
