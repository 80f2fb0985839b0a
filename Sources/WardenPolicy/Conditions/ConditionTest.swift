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
        case contains(JSONValue)
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

    /// Builds a test, refusing operands it cannot use (`in` needs a list, `matches` a valid pattern, …).
    public init(_ operator: TestOperator, _ operand: JSONValue) throws(InvalidOperand) {
        self.operator = `operator`
        self.operand = operand
        let positive = `operator`.negated ?? `operator`
        var negated = `operator`.negated != nil
        switch positive.base {
        case .eq:
            check = .equals(operand)
        case .in:
            guard case .array(let values) = operand else {
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
            check = positive.base == .lt || positive.base == .lte ? .less(operand, orEqual: orEqual) : .greater(operand, orEqual: orEqual)
        case .matches:
            guard case .string(let pattern) = operand else {
                throw InvalidOperand(message: "`\(`operator`)` needs a regular expression as a string")
            }
            do {
                check = .matches(Pattern(try Regex(pattern)))
            } catch {
                throw InvalidOperand(message: "`\(`operator`)` pattern \(Self.quote(pattern)) is not a valid regular expression: \(error)")
            }
        case .startsWith, .endsWith:
            guard case .string(let text) = operand else {
                throw InvalidOperand(message: "`\(`operator`)` needs a string")
            }
            check = positive.base == .startsWith ? .startsWith(text) : .endsWith(text)
        case .contains:
            check = .contains(operand)
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
    }

    /// Whether the test holds for `value`, where nil means absent.
    public func holds(for value: JSONValue?) -> Bool {
        guard let value, !value.isNull else { return isNegated }
        return check.holds(for: value) != isNegated
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

extension ConditionTest.Check {
    /// The positive test on a present value; a value of the wrong type fails.
    func holds(for value: JSONValue) -> Bool {
        switch self {
        case .equals(let expected):
            return value == expected
        case .isIn(let values):
            return values.contains(value)
        case .less(let bound, let orEqual):
            guard let order = Self.compare(value, bound) else { return false }
            return order < 0 || (orEqual && order == 0)
        case .greater(let bound, let orEqual):
            guard let order = Self.compare(value, bound) else { return false }
            return order > 0 || (orEqual && order == 0)
        case .matches(let pattern):
            guard case .string(let text) = value else { return false }
            return pattern.matches(text)
        case .startsWith(let prefix):
            guard case .string(let text) = value else { return false }
            return text.utf8.starts(with: prefix.utf8)
        case .endsWith(let suffix):
            guard case .string(let text) = value else { return false }
            let bytes = text.utf8
            let suffixBytes = suffix.utf8
            guard bytes.count >= suffixBytes.count else { return false }
            return bytes.dropFirst(bytes.count - suffixBytes.count).elementsEqual(suffixBytes)
        case .contains(let needle):
            switch (value, needle) {
            case (.string(let text), .string(let part)):
                return part.isEmpty || text.contains(part)
            case (.array(let elements), _):
                return elements.contains(needle)
            default:
                return false
            }
        case .exists:
            return true
        case .maxLength(let limit):
            switch value {
            case .string(let text): return text.count <= limit
            case .array(let elements): return elements.count <= limit
            default: return false
            }
        case .type(let type):
            return type.contains(value)
        }
    }

    /// Orders two numbers by value or two strings alphabetically; nil for any other pair.
    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int? {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)):
            if a.value < b.value { return -1 }
            if a.value > b.value { return 1 }
            return a.value == b.value ? 0 : nil
        case (.string(let a), .string(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        default:
            return nil
        }
    }
}
