/// A problem in a policy file or a gateway config, with the place to fix it and, where one exists, the fix.
public struct PolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable code that tests and tools match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case syntax, unknownKey, missingKey, wrongType, badValue, unknownTest, badPath, badPattern, duplicateName
            case unsupportedVersion, unknownRule, unreadableFile, unsetVariable
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The file is not valid YAML.
        public static let syntax = Code(.syntax)
        /// A key Warden does not know, usually a typo.
        public static let unknownKey = Code(.unknownKey)
        /// A required key is missing.
        public static let missingKey = Code(.missingKey)
        /// A value has the wrong shape: a list where a map belongs, text where a number belongs.
        public static let wrongType = Code(.wrongType)
        /// A value has the right shape but is not allowed: `max: 0`, `action: block`, `window: 5x`.
        public static let badValue = Code(.badValue)
        /// A condition uses a test Warden does not know.
        public static let unknownTest = Code(.unknownTest)
        /// A condition or budget names a path that cannot exist.
        public static let badPath = Code(.badPath)
        /// A `matches` pattern is not a valid regular expression.
        public static let badPattern = Code(.badPattern)
        /// Two rules have the same name.
        public static let duplicateName = Code(.duplicateName)
        /// The file is written for a policy language version this Warden does not read.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A policy test expects a rule that does not exist.
        public static let unknownRule = Code(.unknownRule)
        /// A file the config names (the config itself, a policy, a key) cannot be read.
        public static let unreadableFile = Code(.unreadableFile)
        /// A `${NAME}` names an environment variable that is not set, or has no closing `}`.
        public static let unsetVariable = Code(.unsetVariable)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var position: SourcePosition
    /// One sentence a person can act on: "unknown test `less_than`; did you mean `lt`?"
    public var message: String

    public init(code: Code, position: SourcePosition, message: String) {
        self.code = code
        self.position = position
        self.message = message
    }

    public var description: String { "\(position): \(message)" }
}
