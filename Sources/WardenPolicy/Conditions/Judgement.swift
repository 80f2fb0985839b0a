/// The outcome of judging a condition or a test: it holds, it fails, or a value in it could not be judged.
///
/// `all` and `any` combine outcomes as three-valued logic does: a failing part decides `all` and a holding part
/// decides `any` even when another part could not be judged; otherwise an unjudgeable part makes the whole one.
/// The reason travels separately (an `inout Unjudgeable?`), so judging a call that can be judged copies nothing.
enum Judgement: Sendable {
    case holds
    case fails
    case unjudgeable

    init(_ holds: Bool) { self = holds ? .holds : .fails }

    var holds: Bool { self == .holds }

    /// `not`: holds and fails swap; a value that could not be judged stays so.
    var negated: Judgement {
        switch self {
        case .holds: .fails
        case .fails: .holds
        case .unjudgeable: .unjudgeable
        }
    }
}
