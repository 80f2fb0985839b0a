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
        judge(call, category: call.category).holds
    }

    /// Whether the condition holds for `call`, fails, or cannot be judged, in three-valued logic.
    func judge(_ call: ToolCall, category: ToolCategory?) -> Judgement {
        switch self {
        case .all(let conditions):
            var unjudged: Judgement?
            for condition in conditions {
                switch condition.judge(call, category: category) {
                case .holds: continue
                case .fails: return .fails
                case .unjudgeable(let why): if unjudged == nil { unjudged = .unjudgeable(why) }
                }
            }
            return unjudged ?? .holds
        case .any(let conditions):
            var unjudged: Judgement?
            for condition in conditions {
                switch condition.judge(call, category: category) {
                case .holds: return .holds
                case .fails: continue
                case .unjudgeable(let why): if unjudged == nil { unjudged = .unjudgeable(why) }
                }
            }
            return unjudged ?? .fails
        case .not(let condition):
            return condition.judge(call, category: category).negated
        case .test(let path, let test):
            switch path.resolve(in: call, category: category) {
            case .value(let value): return test.judge(value, at: path)
            case .unreadable(let cause): return .unjudgeable(Unjudgeable(path: path, cause: cause))
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
