import WardenJSON

/// A Warden `when:` clause being built from Intercept conditions, printed as YAML flow text.
indirect enum ImportedCondition: Hashable, Sendable {
    /// Tests on one path that must all hold, each with its operand as YAML text.
    case test(path: String, tests: [Part])
    case all([ImportedCondition])
    case any([ImportedCondition])
    case not(ImportedCondition)

    struct Part: Hashable, Sendable {
        var op: String
        var operand: String
    }

    /// `PATH: {type: T}`.
    static func type(_ path: String, _ type: String) -> ImportedCondition {
        .test(path: path, tests: [Part(op: "type", operand: type)])
    }

    /// `PATH: {type: T, OP: OPERAND}`: the test holds only for a value sent as that JSON type.
    static func typed(_ path: String, _ type: String, _ op: String, _ operand: JSONValue) -> ImportedCondition {
        .test(path: path, tests: [Part(op: "type", operand: type), Part(op: op, operand: operand.encodedString)])
    }

    /// One of `alternatives`, without an `any` around a single one.
    static func either(_ alternatives: [ImportedCondition]) -> ImportedCondition {
        alternatives.count == 1 ? alternatives[0] : .any(alternatives)
    }

    /// All of `parts`, nested `all`s flattened and repeated parts (the object checks of a shared path) written once.
    static func both(_ parts: [ImportedCondition]) -> ImportedCondition {
        var flat: [ImportedCondition] = []
        for part in parts {
            let inner: [ImportedCondition]
            if case .all(let nested) = part { inner = nested } else { inner = [part] }
            for condition in inner where !flat.contains(condition) { flat.append(condition) }
        }
        return flat.count == 1 ? flat[0] : .all(flat)
    }

    /// The clause as the inside of a YAML flow map: `"args.n": {type: number, lte: 5}` or `not: {…}`.
    var flow: String {
        switch self {
        case .test(let path, let tests):
            let body = tests.map { "\($0.op): \($0.operand)" }.joined(separator: ", ")
            return "\(JSONValue.string(path).encodedString): {\(body)}"
        case .all(let parts): return "all: [\(parts.map { "{\($0.flow)}" }.joined(separator: ", "))]"
        case .any(let parts): return "any: [\(parts.map { "{\($0.flow)}" }.joined(separator: ", "))]"
        case .not(let inner): return "not: {\(inner.flow)}"
        }
    }
}
