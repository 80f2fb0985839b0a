import WardenJSON

extension Condition {
    /// Whether the condition holds for `call`, and a sentence saying why, showing the values it looked at.
    ///
    /// When the condition fails, the sentence names the part that failed; when it holds, the part that made it hold.
    /// Values appear here and nowhere else: explaining is an explicit debugging step. A value that cannot be judged
    /// counts as not holding, and the sentence says why.
    public func explain(for call: ToolCall) -> (holds: Bool, why: String) {
        let (judgement, why) = explain(for: call, category: call.category)
        return (judgement.holds, why)
    }

    func explain(for call: ToolCall, category: ToolCategory?) -> (judgement: Judgement, why: String) {
        switch self {
        case .all(let conditions):
            var reasons: [String] = []
            var unjudged: (judgement: Judgement, why: String)?
            for condition in conditions {
                let result = condition.explain(for: call, category: category)
                switch result.judgement {
                case .holds: reasons.append(result.why)
                case .fails: return result
                case .unjudgeable: if unjudged == nil { unjudged = result }
                }
            }
            if let unjudged { return unjudged }
            return (.holds, conditions.isEmpty ? "no conditions" : reasons.joined(separator: " and "))
        case .any(let conditions):
            var failures: [String] = []
            var unjudged: (judgement: Judgement, why: String)?
            for condition in conditions {
                let result = condition.explain(for: call, category: category)
                switch result.judgement {
                case .holds: return result
                case .fails: failures.append(result.why)
                case .unjudgeable: if unjudged == nil { unjudged = result }
                }
            }
            if let unjudged { return unjudged }
            if failures.isEmpty { return (.fails, "`any` has no conditions") }
            return (.fails, "none of `any` holds: " + failures.joined(separator: "; "))
        case .not(let condition):
            let inner = condition.explain(for: call, category: category)
            switch inner.judgement {
            case .holds: return (.fails, "`not` fails because \(inner.why)")
            case .fails: return (.holds, "not: \(inner.why)")
            case .unjudgeable: return inner
            }
        case .test(let path, let test):
            let value: JSONValue?
            switch path.resolve(in: call, category: category) {
            case .value(let found): value = found
            case .unreadable(let cause): return (.unjudgeable, Unjudgeable(path: path, cause: cause).description)
            }
            let judgement = test.judge(value)
            if judgement == .unjudgeable { return (judgement, test.unjudgeable(value, at: path).description) }
            return (judgement, test.explain(path: path, value: value, holds: judgement.holds))
        }
    }
}

extension ConditionTest {
    /// "args.uri = "s3://x" does not start with "s3://approved/"", or "args.uri is absent, so `starts_with` fails".
    func explain(path: ValuePath, value: JSONValue?, holds: Bool) -> String {
        guard let value, !value.isNull else {
            if case .exists = check { return "\(path) is absent" }
            return "\(path) is absent, so `\(`operator`)` \(holds ? "holds" : "fails")"
        }
        // A negative test reads as its positive phrase with the outcome flipped.
        let positiveHolds = holds != isNegated
        return "\(path) = \(value.displayText)\(readingNote(value)) \(phrase(positiveHolds: positiveHolds, value: value))"
    }

    private func phrase(positiveHolds yes: Bool, value: JSONValue) -> String {
        switch check {
        case .equals(let expected):
            return yes ? "equals \(expected.displayText)" : "does not equal \(expected.displayText)"
        case .isIn(let values):
            let list = JSONValue.array(values).displayText
            return yes ? "is in \(list)" : "is not in \(list)"
        case .less(let bound, let orEqual):
            let relation = orEqual ? "at most" : "less than"
            return (yes ? "is \(relation) " : "is not \(relation) ") + bound.displayText + typeNote(value, bound)
        case .greater(let bound, let orEqual):
            let relation = orEqual ? "at least" : "greater than"
            return (yes ? "is \(relation) " : "is not \(relation) ") + bound.displayText + typeNote(value, bound)
        case .matches:
            return (yes ? "matches " : "does not match ") + operand.displayText
        case .startsWith:
            return (yes ? "starts with " : "does not start with ") + operand.displayText
        case .endsWith:
            return (yes ? "ends with " : "does not end with ") + operand.displayText
        case .contains:
            return (yes ? "contains " : "does not contain ") + operand.displayText
        case .exists:
            return yes ? "exists" : "is absent"
        case .maxLength(let limit):
            switch value {
            case .string(let text): return "has length \(text.unicodeScalars.count), \(yes ? "at most" : "more than") \(limit)"
            case .array(let elements): return "has \(elements.count) elements, \(yes ? "at most" : "more than") \(limit)"
            default: return "is a \(ValueType.name(of: value)), which has no length"
            }
        case .type(let type):
            return yes ? "is of type \(type)" : "is not of type \(type) (it is a \(ValueType.name(of: value)))"
        }
    }

    private func typeNote(_ value: JSONValue, _ bound: JSONValue) -> String {
        if case .number = bound, let number = LenientValue.number(value), number.value.isNaN { return " (NaN compares with nothing)" }
        return Check.compare(value, bound) == nil
            ? " (a \(ValueType.name(of: value)) cannot be compared with a \(ValueType.name(of: bound)))" : ""
    }

    /// " (read as number 1200)" when the test reads `value` as a number or a boolean of another JSON type.
    private func readingNote(_ value: JSONValue) -> String {
        let operands: [JSONValue]
        switch check {
        case .equals(let operand), .less(let operand, _), .greater(let operand, _): operands = [operand]
        case .isIn(let values): operands = values
        default: return ""
        }
        if !Self.isNumber(value), operands.contains(where: Self.isNumber), let number = LenientValue.number(value) {
            return " (read as number \(Self.text(of: number)))"
        }
        if !Self.isBoolean(value), operands.contains(where: Self.isBoolean), let flag = LenientValue.boolean(value) {
            return " (read as \(flag))"
        }
        return ""
    }

    private static func isNumber(_ value: JSONValue) -> Bool {
        if case .number = value { return true }
        return false
    }

    private static func isBoolean(_ value: JSONValue) -> Bool {
        if case .bool = value { return true }
        return false
    }

    private static func text(of number: JSONNumber) -> String {
        if number.value.isNaN { return "nan" }
        if number.value.isInfinite { return number.value < 0 ? "-inf" : "inf" }
        return number.literal
    }
}
