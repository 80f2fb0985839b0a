/// How tool arguments appear in the audit trail.
///
/// The default keeps only a digest, so an audit log never becomes a copy of the data that flowed through it.
public struct AuditSettings: Hashable, Sendable {
    /// How much of the arguments is recorded.
    public struct ArgumentMode: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case hash, full, redact
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// A SHA-256 digest of the arguments only (the default).
        public static let hash = ArgumentMode(.hash)
        /// The arguments as sent.
        public static let full = ArgumentMode(.full)
        /// The arguments with the `redact` paths replaced.
        public static let redact = ArgumentMode(.redact)

        /// Every mode, in the order the docs list them.
        public static let all: [ArgumentMode] = [.hash, .full, .redact]

        /// Reads the spelling used in policy files.
        public init?(name: String) {
            guard let base = Base(rawValue: name) else { return nil }
            self.base = base
        }

        public var description: String { base.rawValue }
    }

    /// YAML `audit.args`.
    public var arguments: ArgumentMode
    /// YAML `audit.redact`: argument paths (`args.…`) whose values are replaced when `arguments` is `redact`.
    public var redact: [ValuePath]

    public init(arguments: ArgumentMode = .hash, redact: [ValuePath] = []) {
        self.arguments = arguments
        self.redact = redact
    }
}
