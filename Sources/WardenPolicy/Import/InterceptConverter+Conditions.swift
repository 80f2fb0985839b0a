import WardenJSON

extension InterceptConverter {
    /// Why a condition could not be expressed in Warden, for a `failClosed` note.
    struct Inexpressible: Error {
        var reason: String
    }

    /// The Warden clause that holds exactly when Intercept's condition on an `args.` path holds, and any notes.
    static func clause(for condition: InterceptPolicy.Condition, notes: inout [InterceptConversion.Note]) throws(Inexpressible) -> ImportedCondition {
        let (path, guards) = try argument(condition.path)
        func guarded(_ test: ImportedCondition) -> ImportedCondition { .both(guards + [test]) }
        let value = condition.value
        switch condition.op {
        case "exists":
            let present = guarded(.test(path: path, tests: [.init(op: "exists", operand: "true")]))
            return value == .bool(true) ? present : .not(present)
        case "eq":
            return guarded(try equality(path, value))
        case "neq", "not_in":
            notes.append(
                .init(
                    kind: .nullArgument,
                    position: condition.position,
                    message: "`\(condition.op)` on \(condition.path): Intercept counts an argument sent as null as present and not equal,"
                        + " Warden counts null as absent, so a call with \(condition.path): null is denied by Warden where Intercept lets it pass"
                )
            )
            let equal = condition.op == "neq" ? try equality(path, value) : try membership(path, value)
            return guarded(.all([.test(path: path, tests: [.init(op: "exists", operand: "true")]), .not(equal)]))
        case "in":
            return guarded(try membership(path, value))
        case "lt", "lte", "gt", "gte":
            return guarded(.typed(path, "number", condition.op, value))
        case "regex":
            guard case .string(let pattern) = value, (try? ConditionTest(.matches, value)) != nil else {
                throw Inexpressible(reason: "the pattern \(value.encodedString) is not a regular expression Warden can run")
            }
            notes.append(
                .init(
                    kind: .regexDialect,
                    position: condition.position,
                    message: "`regex` \(JSONValue.string(pattern).encodedString) runs as a Swift regular expression in Warden, not RE2;"
                        + " common syntax agrees, and Warden denies a string over 16 KiB instead of matching it"
                )
            )
            return guarded(.typed(path, "string", "matches", value))
        case "contains":
            switch value {
            case .string:
                notes.append(looseElements(condition))
                return guarded(.test(path: path, tests: [.init(op: "contains", operand: value.encodedString)]))
            case .number, .bool:
                notes.append(looseElements(condition))
                return guarded(.typed(path, "array", "contains", value))
            default:
                throw Inexpressible(reason: "`contains` with \(value.encodedString) compares Go's printed forms, which Warden cannot")
            }
        default:
            throw Inexpressible(reason: "unknown operator `\(condition.op)`")
        }
    }

    /// An `args.` path as Warden writes it, and the tests that each step before the last is a JSON object as sent:
    /// Intercept walks maps only, where Warden would also read JSON held in a string.
    static func argument(_ text: String) throws(Inexpressible) -> (path: String, guards: [ImportedCondition]) {
        let keys = text.dropFirst("args.".count).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keys.isEmpty, keys.allSatisfy({ !$0.isEmpty && !$0.contains("[") && !$0.contains("]") }) else {
            throw Inexpressible(reason: "Warden paths cannot name the argument `\(text)`")
        }
        var guards: [ImportedCondition] = []
        for count in 1..<keys.count { guards.append(.type("args." + keys.prefix(count).joined(separator: "."), "object")) }
        return ("args." + keys.joined(separator: "."), guards)
    }

    private static func looseElements(_ condition: InterceptPolicy.Condition) -> InterceptConversion.Note {
        .init(
            kind: .looseElementMatch,
            position: condition.position,
            message: "`contains` \(condition.value.encodedString) on an array: Intercept also matches an element of another type that"
                + " Go prints the same way (the number 5 for \"5\"), Warden matches elements of the operand's type only"
        )
    }

    /// Intercept's `eq`: numbers compare as numbers; anything else compares as the text Go prints for it.
    static func equality(_ path: String, _ value: JSONValue) throws(Inexpressible) -> ImportedCondition {
        switch value {
        case .string(let text):
            var alternatives: [ImportedCondition] = [.typed(path, "string", "eq", value)]
            if let number = Double(text), number.isFinite, GoValueText.float(number) == text {
                alternatives.append(.typed(path, "number", "eq", .number(JSONNumber(number))))
            }
            if text == "true" || text == "false" { alternatives.append(.typed(path, "boolean", "eq", .bool(text == "true"))) }
            return .either(alternatives)
        case .number(let number):
            let printed =
                number.isInteger && !number.literal.contains(where: { ".eE".contains($0) }) ? number.literal : GoValueText.float(number.value)
            return .any([.typed(path, "number", "eq", value), .typed(path, "string", "eq", .string(printed))])
        case .bool(let flag):
            return .any([.typed(path, "boolean", "eq", value), .typed(path, "string", "eq", .string(flag ? "true" : "false"))])
        default:
            throw Inexpressible(reason: "`eq` with \(value.encodedString) compares Go's printed forms, which Warden cannot")
        }
    }

    /// Intercept's `in`: `eq` with any element of the list.
    static func membership(_ path: String, _ value: JSONValue) throws(Inexpressible) -> ImportedCondition {
        guard case .array(let elements) = value, !elements.isEmpty else {
            // An empty list holds for nothing: a type no value has twice.
            return .all([.type(path, "string"), .type(path, "number")])
        }
        var alternatives: [ImportedCondition] = []
        for element in elements {
            switch try equality(path, element) {
            case .any(let parts): alternatives += parts
            case let single: alternatives.append(single)
            }
        }
        return .either(alternatives)
    }
}
