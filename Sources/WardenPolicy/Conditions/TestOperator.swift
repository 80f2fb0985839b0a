/// The name of a test in a condition, such as `starts_with` in `args.uri: {starts_with: "s3://"}`.
public struct TestOperator: Hashable, Sendable, CustomStringConvertible {
    enum Base: String, Hashable, Sendable, CaseIterable {
        case eq, ne
        case `in` = "in"
        case notIn = "not_in"
        case lt, lte, gt, gte
        case matches
        case notMatches = "not_matches"
        case startsWith = "starts_with"
        case notStartsWith = "not_starts_with"
        case endsWith = "ends_with"
        case contains, exists
        case maxLength = "max_length"
        case type
    }

    let base: Base

    init(_ base: Base) { self.base = base }

    public static let eq = TestOperator(.eq)
    public static let ne = TestOperator(.ne)
    public static let `in` = TestOperator(.in)
    public static let notIn = TestOperator(.notIn)
    public static let lt = TestOperator(.lt)
    public static let lte = TestOperator(.lte)
    public static let gt = TestOperator(.gt)
    public static let gte = TestOperator(.gte)
    public static let matches = TestOperator(.matches)
    public static let notMatches = TestOperator(.notMatches)
    public static let startsWith = TestOperator(.startsWith)
    public static let notStartsWith = TestOperator(.notStartsWith)
    public static let endsWith = TestOperator(.endsWith)
    public static let contains = TestOperator(.contains)
    public static let exists = TestOperator(.exists)
    public static let maxLength = TestOperator(.maxLength)
    public static let type = TestOperator(.type)

    /// Every test, in the order the docs list them.
    public static let all: [TestOperator] = Base.allCases.map(TestOperator.init)

    /// Reads the spelling used in policy files.
    public init?(name: String) {
        guard let base = Base(rawValue: name) else { return nil }
        self.base = base
    }

    /// The spelling used in policy files.
    public var description: String { base.rawValue }

    /// For a negative test (`ne`, `not_in`, `not_matches`, `not_starts_with`), the positive test it negates.
    ///
    /// A negative test is exactly the negation of its positive one, also for absent values, so `not_X` and
    /// `not: {X}` can never disagree.
    public var negated: TestOperator? {
        switch base {
        case .ne: .eq
        case .notIn: .in
        case .notMatches: .matches
        case .notStartsWith: .startsWith
        default: nil
        }
    }

    /// Common ways people write a test, mapped to Warden's spelling, for "did you mean" hints.
    static let aliases: [String: String] = [
        "less_than": "lt", "lessthan": "lt", "less": "lt", "below": "lt", "<": "lt",
        "less_than_or_equal": "lte", "less_or_equal": "lte", "at_most": "lte", "max": "lte", "le": "lte", "<=": "lte",
        "greater_than": "gt", "greaterthan": "gt", "greater": "gt", "above": "gt", ">": "gt",
        "greater_than_or_equal": "gte", "greater_or_equal": "gte", "at_least": "gte", "min": "gte", "ge": "gte", ">=": "gte",
        "equals": "eq", "equal": "eq", "is": "eq", "==": "eq", "=": "eq",
        "not_equals": "ne", "not_equal": "ne", "not_eq": "ne", "neq": "ne", "is_not": "ne", "!=": "ne",
        "one_of": "in", "any_of": "in", "none_of": "not_in", "not_one_of": "not_in",
        "regex": "matches", "match": "matches", "pattern": "matches", "not_match": "not_matches", "not_regex": "not_matches",
        "startswith": "starts_with", "start_with": "starts_with", "prefix": "starts_with",
        "not_startswith": "not_starts_with", "not_start_with": "not_starts_with", "not_prefix": "not_starts_with",
        "endswith": "ends_with", "end_with": "ends_with", "suffix": "ends_with",
        "includes": "contains", "include": "contains", "has": "contains",
        "present": "exists", "exist": "exists", "defined": "exists",
        "maxlength": "max_length", "max_len": "max_length", "length": "max_length", "len": "max_length",
        "is_type": "type", "kind": "type",
    ]
}
