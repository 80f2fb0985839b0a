import WardenJSON

extension SchemaValidator {
    /// `$ref`, `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else`.
    mutating func checkCombinators(_ node: SchemaNode, _ instance: JSONValue, report: Bool) -> Bool {
        var valid = true
        if let reference = node.reference, !check(reference, instance, report: report) {
            valid = false
            if !report { return false }
        }
        for branch in node.allOf where !check(branch, instance, report: report) {
            valid = false
            if !report || isHalted { return false }
        }
        if let branches = node.anyOf, !checkAnyOf(branches, instance, report: report) {
            valid = false
            if !report { return false }
        }
        if let branches = node.oneOf, !checkOneOf(branches, instance, report: report) {
            valid = false
            if !report { return false }
        }
        if let negated = node.not, check(negated, instance, report: false) || exhaustion != nil {
            fail("not", "must not match the schema in `not`", report)
            valid = false
            if !report { return false }
        }
        if let condition = node.ifSchema {
            let consequence = check(condition, instance, report: false) ? node.thenSchema : node.elseSchema
            if let consequence, !check(consequence, instance, report: report) { valid = false }
        }
        return valid
    }

    private mutating func checkAnyOf(_ branches: [Int], _ instance: JSONValue, report: Bool) -> Bool {
        for branch in branches where check(branch, instance, report: false) { return true }
        if report { explainNoMatch(branches, instance, keyword: "anyOf", wording: "at least one") }
        return false
    }

    private mutating func checkOneOf(_ branches: [Int], _ instance: JSONValue, report: Bool) -> Bool {
        var matched: [Int] = []
        for (position, branch) in branches.enumerated() where check(branch, instance, report: false) {
            matched.append(position)
            if matched.count == 2 { break }
        }
        if matched.count == 1 { return true }
        if report {
            if matched.isEmpty {
                explainNoMatch(branches, instance, keyword: "oneOf", wording: "exactly one")
            } else {
                fail("oneOf", "must match exactly one of the `oneOf` schemas, but matches schemas \(matched[0]) and \(matched[1])", true)
            }
        }
        return false
    }

    /// Says why no branch matched in the terms a person wrote: the one branch of the right type's own violations
    /// (`anyOf: [{type: integer, minimum: 1}, {type: null}]` given `0` says "must be at least 1"), or the types
    /// allowed when none has the right type, or else that no branch matched.
    private mutating func explainNoMatch(_ branches: [Int], _ instance: JSONValue, keyword: String, wording: String) {
        guard exhaustion == nil else { return }
        let demanded = branches.map { demandedTypes(of: $0) }
        let fitting = branches.indices.filter { index in
            demanded[index].map { types in types.contains { $0.admits(instance) } } ?? true
        }
        if fitting.isEmpty {
            var union: [JSONType] = []
            for types in demanded.compactMap({ $0 }) {
                for type in types where !union.contains(type) { union.append(type) }
            }
            fail(keyword, "expected \(Self.typeList(union)), got \(JSONType(of: instance).rawValue)", true)
            return
        }
        if fitting.count == 1 {
            let before = violations.count
            _ = check(branches[fitting[0]], instance, report: true)
            if violations.count > before || isHalted { return }
        }
        fail(keyword, "must match \(wording) of the `\(keyword)` schemas", true)
    }
}
