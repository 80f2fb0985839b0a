/// Why `${NAME}` could not be expanded, in words that name the variable.
public struct EnvironmentTextError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case unclosed, unset }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// A `${` without a closing `}`.
        public static let unclosed = Code(.unclosed)
        /// The named variable is not set.
        public static let unset = Code(.unset)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The variable that is not set; nil for `unclosed`.
    public var name: String?

    public init(code: Code, name: String?) {
        self.code = code
        self.name = name
    }

    public var description: String {
        code == .unset ? "the environment variable `\(name ?? "")` is not set" : "`${` without a closing `}`"
    }
}
