import WardenJSON

extension Condition {
    /// Whether the condition holds for `call`, and a sentence saying why, showing the values it looked at.
    ///
    /// When the condition fails, the sentence names the part that failed; when it holds, the part that made it hold.
    /// Values appear here and nowhere else: explaining is an explicit debugging step.
    public func explain(for call: ToolCall) -> (holds: Bool, why: String) {
        explain(for: call, category: call.category)
    }

    func explain(for call: ToolCall, category: ToolCategory?) -> (holds: Bool, why: String) {
        switch self {
        case .all(let conditions):
            var reasons: [String] = []
            for condition in conditions {
                let result = condition.explain(for: call, category: category)
                if !result.holds { return result }
                reasons.append(result.why)
            }
            return (true, conditions.isEmpty ? "no conditions" : reasons.joined(separator: " and "))
        case .any(let conditions):
            var failures: [String] = []
            for condition in conditions {
                let result = condition.explain(for: call, category: category)
                if result.holds { return result }
                failures.append(result.why)
            }
            if failures.isEmpty { return (false, "`any` has no conditions") }
            return (false, "none of `any` holds: " + failures.joined(separator: "; "))
        case .not(let condition):
            let inner = condition.explain(for: call, category: category)
            return (!inner.holds, inner.holds ? "`not` fails because \(inner.why)" : "not: \(inner.why)")
        case .test(let path, let test):
            let value = path.value(in: call, category: category)
            let holds = test.holds(for: value)
            return (holds, test.explain(path: path, value: value, holds: holds))
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
        return "\(path) = \(value.displayText) \(phrase(positiveHolds: positiveHolds, value: value))"
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
            case .string(let text): return "has length \(text.count), \(yes ? "at most" : "more than") \(limit)"
            case .array(let elements): return "has \(elements.count) elements, \(yes ? "at most" : "more than") \(limit)"
            default: return "is a \(ValueType.name(of: value)), which has no length"
            }
        case .type(let type):
            return yes ? "is of type \(type)" : "is not of type \(type) (it is a \(ValueType.name(of: value)))"
        }
    }

    private func typeNote(_ value: JSONValue, _ bound: JSONValue) -> String {
        Check.compare(value, bound) == nil ? " (a \(ValueType.name(of: value)) cannot be compared with a \(ValueType.name(of: bound)))" : ""
    }
}
