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
    ///
    /// A value that cannot be judged (see `Unjudgeable`) counts as not holding; `CompiledPolicy.decide` denies
    /// such a call instead.
    public func holds(for call: ToolCall) -> Bool {
        var why: Unjudgeable?
        return judge(call, category: call.category, why: &why).holds
    }

    /// Whether the condition holds for `call`, fails, or cannot be judged, in three-valued logic; sets `why` when
    /// it returns `.unjudgeable`, to the first part that could not be judged.
    func judge(_ call: ToolCall, category: ToolCategory?, why: inout Unjudgeable?) -> Judgement {
        switch self {
        case .all(let conditions):
            var result = Judgement.holds
            for condition in conditions {
                var inner: Unjudgeable?
                switch condition.judge(call, category: category, why: &inner) {
                case .holds: continue
                case .fails: return .fails
                case .unjudgeable:
                    if result == .holds { (result, why) = (.unjudgeable, inner) }
                }
            }
            return result
        case .any(let conditions):
            var result = Judgement.fails
            for condition in conditions {
                var inner: Unjudgeable?
                switch condition.judge(call, category: category, why: &inner) {
                case .holds: return .holds
                case .fails: continue
                case .unjudgeable:
                    if result == .fails { (result, why) = (.unjudgeable, inner) }
                }
            }
            return result
        case .not(let condition):
            return condition.judge(call, category: category, why: &why).negated
        case .test(let path, let test):
            switch path.resolve(in: call, category: category) {
            case .value(let value):
                let result = test.judge(value)
                if result == .unjudgeable { why = test.unjudgeable(value, at: path) }
                return result
            case .unreadable(let cause):
                why = Unjudgeable(path: path, cause: cause)
                return .unjudgeable
            }
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
