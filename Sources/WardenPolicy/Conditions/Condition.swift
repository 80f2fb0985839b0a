/// A rule's `when:` clause: tests on values of the call, combined with `all`, `any` and `not`.
///
/// An enum because the grammar is closed: every condition is one of these four shapes, and new tests are added
/// to `TestOperator`, not here.
public indirect enum Condition: Hashable, Sendable, CustomStringConvertible {
    /// Holds when every condition holds (and when the list is empty).
    case all([Condition])
    /// Holds when at least one condition holds (never when the list is empty).
    case any([Condition])
    /// Holds when the condition does not.
    case not(Condition)
    /// Holds when the test holds for the value at the path.
    case test(ValuePath, ConditionTest)

    /// Whether the condition holds for `call`.
    public func holds(for call: ToolCall) -> Bool {
        holds(for: call, category: call.category)
    }

    func holds(for call: ToolCall, category: ToolCategory?) -> Bool {
        switch self {
        case .all(let conditions):
            for condition in conditions where !condition.holds(for: call, category: category) { return false }
            return true
        case .any(let conditions):
            for condition in conditions where condition.holds(for: call, category: category) { return true }
            return false
        case .not(let condition):
            return !condition.holds(for: call, category: category)
        case .test(let path, let test):
            return test.holds(for: path.value(in: call, category: category))
        }
    }

    /// The condition in YAML flow style, as it could be written in a policy file.
    public var description: String {
        switch self {
        case .all(let conditions): "all: [\(conditions.map { "{\($0)}" }.joined(separator: ", "))]"
        case .any(let conditions): "any: [\(conditions.map { "{\($0)}" }.joined(separator: ", "))]"
        case .not(let condition): "not: {\(condition)}"
        case .test(let path, let test): "\(path): {\(test)}"
        }
    }
}
