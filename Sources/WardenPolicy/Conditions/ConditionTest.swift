public import WardenJSON

/// One test applied to one value, such as `starts_with: "s3://approved/"`, checked once when built.
///
/// Everything a test needs at call time (a compiled pattern, a type, a length) is prepared here, so evaluating it
/// only compares values. An absent value (missing, or JSON `null`) fails every positive test and passes every
/// negative one: leaving an argument out is never a way around a rule.
public struct ConditionTest: Hashable, Sendable, CustomStringConvertible {
    /// Why a test could not be built from its operand, with the fix.
    public struct InvalidOperand: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String

        public init(message: String) { self.message = message }

        public var description: String { message }
    }

    enum Check: Sendable {
        case equals(JSONValue)
        case isIn([JSONValue])
        case less(JSONValue, orEqual: Bool)
        case greater(JSONValue, orEqual: Bool)
        case matches(Pattern)
        case startsWith(String)
        case endsWith(String)
        case contains(JSONValue, SubstringFinder?)
        case exists
        case maxLength(Int)
        case type(ValueType)
    }

    /// The test as written.
    public let `operator`: TestOperator
    /// The value the test compares against, as written.
    public let operand: JSONValue
    let check: Check
    /// Whether the test holds when `check` fails: true for the negative tests and `exists: false`.
    let isNegated: Bool
    /// Whether the test reads the value as a number (its operand is one, or a list holding one).
    let readsNumbers: Bool

    /// Builds a test, refusing operands it cannot use (`in` needs a list, `matches` a valid pattern, …).
    public init(_ operator: TestOperator, _ operand: JSONValue) throws(InvalidOperand) {
        self.operator = `operator`
        self.operand = operand
        // Values are judged as servers read them (a decimal as the double readers round it to); so is the operand,
        // or `lte: 0.3` would refuse the 0.3 a server reads.
        let judged = (try? operand.readAsServersDo()) ?? operand
        let positive = `operator`.negated ?? `operator`
        var negated = `operator`.negated != nil
        switch positive.base {
        case .eq:
            check = .equals(judged)
        case .in:
            guard case .array(let values) = judged else {
                throw InvalidOperand(message: "`\(`operator`)` needs a list, like `\(`operator`): [a, b]`")
            }
            check = .isIn(values)
        case .lt, .lte, .gt, .gte:
            switch operand {
            case .number, .string: break
            default:
                throw InvalidOperand(message: "`\(`operator`)` needs a number (or a string, compared alphabetically)")
            }
            let orEqual = positive.base == .lte || positive.base == .gte
            check = positive.base == .lt || positive.base == .lte ? .less(judged, orEqual: orEqual) : .greater(judged, orEqual: orEqual)
        case .matches:
            guard case .string(let pattern) = operand else {
                throw InvalidOperand(message: "`\(`operator`)` needs a regular expression as a string")
            }
            do {
                check = .matches(Pattern(try Regex(pattern).matchingSemantics(.unicodeScalar)))
            } catch {
                throw InvalidOperand(message: "`\(`operator`)` pattern \(Self.quote(pattern)) is not a valid regular expression: \(error)")
            }
        case .startsWith, .endsWith:
            guard case .string(let text) = operand else {
                throw InvalidOperand(message: "`\(`operator`)` needs a string")
            }
            check = positive.base == .startsWith ? .startsWith(text) : .endsWith(text)
        case .contains:
            if case .string(let part) = operand {
                check = .contains(operand, SubstringFinder(part))
            } else {
                check = .contains(judged, nil)
            }
        case .exists:
            guard case .bool(let shouldExist) = operand else {
                throw InvalidOperand(message: "`exists` needs `true` or `false`")
            }
            check = .exists
            negated = !shouldExist
        case .maxLength:
            guard case .number(let number) = operand, let length = number.intValue, length >= 0 else {
                throw InvalidOperand(message: "`max_length` must be a whole number ≥ 0")
            }
            check = .maxLength(length)
        case .type:
            guard case .string(let name) = operand, let type = ValueType(name: name) else {
                let names = ValueType.all.map(\.description)
                var message = "`type` must be one of \(names.joined(separator: ", "))"
                if case .string(let name) = operand, let suggestion = Suggestion.closest(to: name, among: names) {
                    message = "unknown type `\(name)`; did you mean `\(suggestion)`?"
                }
                throw InvalidOperand(message: message)
            }
            check = .type(type)
        default:
            preconditionFailure("negative tests are mapped to their positive form above")
        }
        isNegated = negated
        switch operand {
        case .number: readsNumbers = positive.base != .maxLength
        case .array(let values): readsNumbers = positive.base == .in && values.contains { $0.numberValue != nil }
        default: readsNumbers = false
        }
    }

    /// The longest string, in bytes of UTF-8, that `matches` and `not_matches` test: 16 KiB.
    ///
    /// Matching takes time in proportion to the text, on the thread that decides calls; a longer value cannot be
    /// judged in bounded time, so the call is denied with a reason saying so, never passed on a guess.
    public static let patternInputLimit = 16 * 1024

    /// Whether the test holds for `value`, where nil means absent.
    ///
    /// A string too long for `matches` or `not_matches` counts as not holding for both; `CompiledPolicy.decide`
    /// denies such a call.
    public func holds(for value: JSONValue?) -> Bool {
        judge(value) == .holds
    }

    /// Whether the test holds for `value`, fails, or cannot judge it; `unjudgeable(_:at:)` then says why.
    func judge(_ value: JSONValue?) -> Judgement {
        guard let value, !value.isNull else { return Judgement(isNegated) }
        if case .matches = check, case .string(let text) = value, text.utf8.count > Self.patternInputLimit { return .unjudgeable }
        let holds = check.holds(for: value)
        // A number too long to read is not a reason to fail: the server reads it, so it cannot be judged.
        if !holds, readsNumbers, LenientValue.tooLongNumberText(in: value) != nil || LenientValue.ambiguousNumberText(in: value) != nil {
            return .unjudgeable
        }
        return Judgement(holds != isNegated)
    }

    /// Why `judge` could not judge `value`, found at `path`.
    func unjudgeable(_ value: JSONValue?, at path: ValuePath) -> Unjudgeable {
        if case .matches = check {
            let bytes = value?.stringValue?.utf8.count ?? 0
            return Unjudgeable(path: path, cause: .tooLongToMatch(operator: `operator`, bytes: bytes, limit: Self.patternInputLimit))
        }
        if let problem = value.flatMap(LenientValue.ambiguousNumberText(in:)) {
            return Unjudgeable(path: path, cause: .ambiguousNumber(problem))
        }
        let bytes = value.flatMap(LenientValue.tooLongNumberText(in:)) ?? 0
        return Unjudgeable(path: path, cause: .tooLongToReadAsNumber(bytes: bytes, limit: LenientNumber.textLimit))
    }

    /// The test as it would be written in a policy file: `starts_with: "s3://"`.
    public var description: String { "\(`operator`): \(operand.displayText)" }

    public static func == (lhs: ConditionTest, rhs: ConditionTest) -> Bool {
        lhs.operator == rhs.operator && lhs.operand == rhs.operand
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(`operator`)
        hasher.combine(operand)
    }

    static func quote(_ text: String) -> String { JSONValue.string(text).displayText }
}

extension ConditionTest {
    /// A compiled regular expression, shared between the threads that decide calls.
    ///
    /// `Regex<AnyRegexOutput>` is not declared `Sendable` only because its output type is not; the compiled program
    /// is immutable once built, and it is built here, before the pattern is shared, by matching once.
    struct Pattern: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>

        init(_ regex: Regex<AnyRegexOutput>) {
            self.regex = regex
            _ = matches("")
        }

        /// Whether the pattern matches anywhere in `text`; anchor it with `^…$` to match the whole.
        func matches(_ text: String) -> Bool {
            (try? regex.firstMatch(in: text)) != nil
        }
    }
}
