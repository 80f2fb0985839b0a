public import WardenJSON

/// A tool's `inputSchema`, compiled once, that checks every call's arguments before a rule sees them.
///
/// It validates JSON Schema 2020-12 and draft-07 as MCP servers write them (drafts 04, 06 and 2019-09 where the
/// keywords agree): strict types, objects, arrays, strings, numbers, combinators, and `$ref` within the document.
/// Unknown keywords are ignored. A schema that cannot be compiled throws a `SchemaError`, so the caller can judge
/// that tool's calls by its rules alone. Validation is bounded by `SchemaLimits`: a run that would cost more
/// fails with "schema too complex" rather than stalling the proxy.
public struct JSONSchema: Sendable {
    private let nodes: [SchemaNode]
    /// Whether `format` is checked (`date-time`, `date`, `email`, `uri`, `uuid`, `ipv4`) rather than only noted.
    public let strictFormats: Bool
    public let limits: SchemaLimits

    /// Compiles `document`; throws when it declares an unknown draft, refers outside itself or to nothing, has a
    /// pattern that does not compile, a keyword of the wrong form, or is larger or deeper than `limits`.
    public init(compiling document: JSONValue, strictFormats: Bool = false, limits: SchemaLimits = .default) throws(SchemaError) {
        var compiler = try SchemaCompiler(root: document, limits: limits)
        try compiler.compileRoot()
        nodes = compiler.nodes
        self.strictFormats = strictFormats
        self.limits = limits
    }

    /// The ways `instance` breaks the schema, in document order; empty when it is valid.
    ///
    /// Stops after `limits.maxViolations`; a run that spends its step budget ends with a `complexity` violation.
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        var validator = SchemaValidator(nodes: nodes, strictFormats: strictFormats, limits: limits)
        let isValid = validator.check(0, instance, report: true)
        if let exhaustion = validator.exhaustion { return Array(validator.violations.prefix(limits.maxViolations - 1)) + [exhaustion] }
        if !isValid && validator.violations.isEmpty {
            // Every failing check reports; this is a guard against a silent failure ever passing as valid.
            return [SchemaViolation(location: [], keyword: "schema", message: "does not match the schema")]
        }
        return validator.violations
    }

    /// Whether `instance` is valid, without building messages.
    public func isValid(_ instance: JSONValue) -> Bool {
        var validator = SchemaValidator(nodes: nodes, strictFormats: strictFormats, limits: limits)
        return validator.check(0, instance, report: false) && validator.exhaustion == nil
    }
}
