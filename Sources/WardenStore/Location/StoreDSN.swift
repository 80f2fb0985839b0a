import Foundation

/// Which store to use, as given to `--store`: `sqlite:PATH`, `postgres://…` or `memory:`.
///
/// Parsed once at the edge, so a typo is reported before anything runs. The description hides any password.
public struct StoreDSN: Hashable, Sendable, CustomStringConvertible {
    /// The kind of store.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case memory, sqlite, postgres }

        private let base: Base

        /// In this process's memory only: forgotten on exit.
        public static let memory = Kind(base: .memory)
        /// A SQLite file on this machine.
        public static let sqlite = Kind(base: .sqlite)
        /// A PostgreSQL server shared by several replicas.
        public static let postgres = Kind(base: .postgres)

        public var description: String { base.rawValue }
    }

    public var kind: Kind
    /// The file path for SQLite (with `~` expanded), the URL for PostgreSQL, empty for memory.
    public var location: String

    public init(kind: Kind, location: String) {
        self.kind = kind
        self.location = location
    }

    /// The store kept only in memory.
    public static let memory = StoreDSN(kind: .memory, location: "")

    /// A SQLite file at `path`, taken as is.
    public static func sqlite(path: String) -> StoreDSN {
        StoreDSN(kind: .sqlite, location: path)
    }

    /// Parses a `--store` value, expanding `~` from the `HOME` environment variable.
    public init(parsing text: String) throws(StoreError) {
        try self.init(parsing: text, home: ProcessInfo.processInfo.environment["HOME"])
    }

    /// Parses a `--store` value, expanding `~` to `home`.
    public init(parsing text: String, home: String?) throws(StoreError) {
        let lowercased = text.lowercased()
        if lowercased == "memory:" || lowercased == "memory" {
            self = .memory
        } else if lowercased.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("///") { path.removeFirst(2) }  // the URL form, sqlite:///var/lib/warden.db
            guard !path.isEmpty else {
                throw StoreError(
                    code: .invalidLocation,
                    location: text,
                    message: "`sqlite:` needs a file path, as in `sqlite:~/.warden/warden.db`"
                )
            }
            self = .sqlite(path: try StoreLocation.expandingTilde(in: path, home: home))
        } else if lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://") {
            self.init(kind: .postgres, location: text)
        } else {
            let looksLikePath = text.contains("/") || text.hasSuffix(".db") || text.hasSuffix(".sqlite")
            throw StoreError(
                code: .invalidLocation,
                location: Self.redacted(text),
                message: "unknown store; expected `sqlite:PATH`, `postgres://…` or `memory:`"
                    + (looksLikePath ? "; did you mean `sqlite:\(text)`?" : "")
            )
        }
    }

    public var description: String {
        switch kind {
        case .memory: "memory:"
        case .sqlite: "sqlite:" + location
        default: Self.redacted(location)
        }
    }

    /// The text with the password of a URL's user information, and any `password=` parameter, replaced by `***`.
    static func redacted(_ text: String) -> String {
        var result = text
        if let scheme = result.range(of: "://") {
            let authorityEnd = result[scheme.upperBound...].firstIndex(where: { "/?#".contains($0) }) ?? result.endIndex
            let authority = result[scheme.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result.replaceSubrange(result.index(after: colon)..<at, with: "***")
            }
        }
        if let parameter = result.range(of: "password=", options: .caseInsensitive) {
            let valueEnd = result[parameter.upperBound...].firstIndex(where: { "&#".contains($0) }) ?? result.endIndex
            result.replaceSubrange(parameter.upperBound..<valueEnd, with: "***")
        }
        return result
    }
}
