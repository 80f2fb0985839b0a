/// A document that is not JSON, with the byte where reading stopped.
///
/// The offset counts bytes from the start of the input (not characters), because that is what a
/// person can find with `head -c` or a hex dump, and what a framer's byte ranges agree with.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of rule the document broke, as a stable code that tests and tools match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unexpectedEnd, unexpectedCharacter, invalidLiteral, invalidNumber, invalidEscape
            case controlCharacter, invalidUTF8, tooDeep, trailingData, duplicateKey, loneSurrogate
        }
        private let base: Base

        /// The input ended inside a value, or was empty.
        public static let unexpectedEnd = Code(base: .unexpectedEnd)
        /// A byte that cannot start or continue anything at this place.
        public static let unexpectedCharacter = Code(base: .unexpectedCharacter)
        /// A word that is not `true`, `false` or `null` (this includes `NaN` and `Infinity`).
        public static let invalidLiteral = Code(base: .invalidLiteral)
        /// A number outside RFC 8259's grammar, such as `01`, `1.`, `.5` or `+1`.
        public static let invalidNumber = Code(base: .invalidNumber)
        /// A backslash sequence that JSON does not define, or a `\u` without four hex digits.
        public static let invalidEscape = Code(base: .invalidEscape)
        /// A raw byte below 0x20 inside a string; JSON requires those to be escaped.
        public static let controlCharacter = Code(base: .controlCharacter)
        /// Bytes inside a string that are not well-formed UTF-8.
        public static let invalidUTF8 = Code(base: .invalidUTF8)
        /// Arrays and objects nested deeper than the reader's `maxDepth`.
        public static let tooDeep = Code(base: .tooDeep)
        /// Something other than whitespace after the one top-level value.
        public static let trailingData = Code(base: .trailingData)
        /// In strict parsing, a key that occurs twice in one object (compared as Unicode scalars after unescaping).
        public static let duplicateKey = Code(base: .duplicateKey)
        /// In strict parsing, a `\u` escape of a surrogate that is not half of a high-low pair.
        public static let loneSurrogate = Code(base: .loneSurrogate)

        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// The byte offset, from the start of the input, where the problem was found.
    public var offset: Int
    /// One sentence saying what was expected there.
    public var message: String

    public init(code: Code, offset: Int, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "byte \(offset): \(message)" }
}
