/// A tool's `inputSchema` that Warden cannot compile, with the place in the schema to look at.
///
/// The caller judges that tool's calls by the policy's rules alone, so the message says why the schema was not
/// used: an unknown draft, a reference Warden will not follow, a pattern it cannot compile, a keyword of the wrong
/// form.
public struct SchemaError: Error, Hashable, Sendable {
    /// What went wrong, as a stable code that tests and tools match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownDraft, remoteReference, unsupportedReference, missingReference, referenceCycle
            case badPattern, badKeyword, tooDeep, tooLarge
        }

        private let base: Base

        /// `$schema` names a dialect Warden does not implement.
        public static let unknownDraft = Code(base: .unknownDraft)
        /// A `$ref` points to another document (`http…`, `urn:…`): Warden fetches nothing.
        public static let remoteReference = Code(base: .remoteReference)
        /// A `$ref` of a form Warden does not resolve (a relative document, an embedded `$id` resource).
        public static let unsupportedReference = Code(base: .unsupportedReference)
        /// A `$ref` whose target is not in the document.
        public static let missingReference = Code(base: .missingReference)
        /// References that lead back to themselves without descending into the instance, so no value could end.
        public static let referenceCycle = Code(base: .referenceCycle)
        /// A `pattern` or `patternProperties` key that is not a regular expression Warden can compile.
        public static let badPattern = Code(base: .badPattern)
        /// A keyword whose value has the wrong form (`"minimum": "5"`, `"type": "strnig"`).
        public static let badKeyword = Code(base: .badKeyword)
        /// Subschemas nest deeper than the limit.
        public static let tooDeep = Code(base: .tooDeep)
        /// More subschemas than the limit.
        public static let tooLarge = Code(base: .tooLarge)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// Where in the schema, as a JSON pointer fragment (`#/properties/path/pattern`).
    public var location: String
    /// One sentence a person can act on.
    public var message: String

    public init(code: Code, location: String, message: String) {
        self.code = code
        self.location = location
        self.message = message
    }
}

extension SchemaError: CustomStringConvertible {
    public var description: String { "inputSchema \(location): \(message)" }
}
