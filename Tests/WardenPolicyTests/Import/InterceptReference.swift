import Foundation
import WardenJSON
import WardenPolicy

/// Intercept's decision procedure, written independently of the converter from Intercept's documented semantics: the
/// oracle the converted Warden policies are compared with.
///
/// Values follow Go's rules: arguments arrive as `float64`, policy integers as `int`; `eq` compares numbers as
/// numbers and everything else as the text `fmt` prints (`%v`); `lt` and friends need numbers on both sides.
/// Counters live in calendar windows (UTC) and are reserved only when every rule passes.
struct InterceptReference {
    enum Outcome: Hashable, CustomStringConvertible {
        case allow, deny, hidden
        var description: String {
            switch self {
            case .allow: "allow"
            case .deny: "deny"
            case .hidden: "hidden"
            }
        }
    }

    /// A Go value as Intercept's engine holds it.
    indirect enum GoValue {
        case int(Int64), float(Double), string(String), bool(Bool), null, list([GoValue]), map([String: GoValue])

        /// A JSON argument: every number is a float64, as `encoding/json` decodes into `any`.
        init(argument: JSONValue) {
            switch argument {
            case .null: self = .null
            case .bool(let flag): self = .bool(flag)
            case .number(let number): self = .float(number.value)
            case .string(let text): self = .string(text)
            case .array(let elements): self = .list(elements.map(GoValue.init(argument:)))
            case .object(let object): self = .map(Dictionary(object.members.map { ($0.key, GoValue(argument: $0.value)) }) { a, _ in a })
            }
        }

        /// A policy value: a YAML integer is an `int`, anything with a fraction or exponent a float64.
        init(operand: JSONValue) {
            if case .number(let number) = operand, !number.literal.contains(where: { ".eE".contains($0) }), let whole = Int64(number.literal) {
                self = .int(whole)
            } else if case .array(let elements) = operand {
                self = .list(elements.map(GoValue.init(operand:)))
            } else {
                self = GoValue(argument: operand)
            }
        }

        var number: Double? {
            switch self {
            case .int(let whole): Double(whole)
            case .float(let value): value
            default: nil
            }
        }

        /// What `fmt.Sprintf("%v", value)` prints.
        var printed: String {
            switch self {
            case .int(let whole): String(whole)
            case .float(let value): InterceptReference.goFloat(value)
            case .string(let text): text
            case .bool(let flag): flag ? "true" : "false"
            case .null: "<nil>"
            case .list(let elements): "[" + elements.map(\.printed).joined(separator: " ") + "]"
            case .map(let members): "map[" + members.keys.sorted().map { "\($0):\(members[$0]!.printed)" }.joined(separator: " ") + "]"
            }
        }
    }

    let policy: InterceptPolicy
    /// Counter values by `scope.counter`, with the start of the calendar window they belong to.
    private var counters: [String: (windowStart: Int64, value: Int64)] = [:]
    private var windows: [String: Int64] = [:]

    init(_ policy: InterceptPolicy) {
        self.policy = policy
    }

    /// Decides one call at `seconds` since the epoch, and counts it when it is allowed (the upstream succeeds).
    mutating func call(_ tool: String, _ arguments: JSONValue, at seconds: Int64) -> Outcome {
        if policy.hide.contains(where: { $0 == tool || $0 == "*" }) { return .hidden }
        if policy.denyByDefault && policy.tool(named: tool) == nil { return .deny }
        let args = GoValue(argument: arguments)
        var rules = policy.tool(named: tool)?.rules.map { ($0, tool) } ?? []
        if tool != "*", let wildcard = policy.wildcard { rules += wildcard.rules.map { ($0, "_global") } }
        for (rule, _) in rules {
            if rule.isDeny { return .deny }
            for condition in rule.conditions where !holds(condition, args, at: seconds) { return .deny }
        }
        var reserved: [(String, Int64)] = []
        for (rule, scope) in rules {
            guard let counter = rule.counter else { continue }
            let key = scope + "." + counter.name
            var amount = Int64(counter.increment)
            if let from = counter.incrementFrom {
                guard let value = resolve(args, from.dropFirst("args.".count)), let number = value.number else {
                    rollback(reserved)
                    return .deny
                }
                amount = Int64(number)
            }
            guard let limit = Self.limit(rule, scope: scope) else { continue }
            let length = counter.window.seconds
            let start = seconds - ((seconds % length) + length) % length
            let current = counters[key].map { $0.windowStart == start ? $0.value : 0 } ?? 0
            if current + amount > limit {
                rollback(reserved)
                return .deny
            }
            counters[key] = (start, current + amount)
            windows[key] = length
            reserved.append((key, amount))
        }
        return .allow
    }

    private mutating func rollback(_ reserved: [(String, Int64)]) {
        for (key, amount) in reserved {
            let value = counters[key]?.value ?? 0
            counters[key]?.value = max(0, value - amount)
        }
    }

    /// The first `lt`/`lte` condition on the rule's own counter, as the whole number of units it allows.
    static func limit(_ rule: InterceptPolicy.Rule, scope: String) -> Int64? {
        guard let counter = rule.counter else { return nil }
        for condition in rule.conditions where condition.path == "state.\(scope).\(counter.name)" {
            guard let bound = GoValue(operand: condition.value).number else { continue }
            if condition.op == "lt" { return Int64(bound) - 1 }
            if condition.op == "lte" { return Int64(bound) }
        }
        return nil
    }

    private func resolve(_ args: GoValue, _ path: Substring) -> GoValue? {
        var current = args
        for key in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .map(let members) = current, let next = members[String(key)] else { return nil }
            current = next
        }
        return current
    }

    private func holds(_ condition: InterceptPolicy.Condition, _ args: GoValue, at seconds: Int64) -> Bool {
        let found: GoValue?
        if condition.path.hasPrefix("state.") {
            let key = String(condition.path.dropFirst("state.".count))
            if let stored = counters[key], let length = windows[key] {
                let start = seconds - ((seconds % length) + length) % length
                found = .int(stored.windowStart == start ? stored.value : 0)
            } else {
                found = .int(0)
            }
        } else {
            found = resolve(args, condition.path.dropFirst("args.".count))
        }
        let expected = GoValue(operand: condition.value)
        if condition.op == "exists" {
            guard case .bool(let wanted) = expected else { return false }
            var present = found != nil
            if case .null = found { present = false }
            return present == wanted
        }
        guard let actual = found else { return false }
        switch condition.op {
        case "eq": return Self.equal(actual, expected)
        case "neq": return !Self.equal(actual, expected)
        case "in", "not_in":
            guard case .list(let options) = expected else { return false }
            return options.contains { Self.equal(actual, $0) } == (condition.op == "in")
        case "lt", "lte", "gt", "gte":
            guard let a = actual.number, let b = expected.number else { return false }
            return ["lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b][condition.op]!
        case "regex":
            guard case .string(let text) = actual, case .string(let pattern) = expected else { return false }
            return text.range(of: pattern, options: .regularExpression) != nil
        case "contains":
            if case .string(let text) = actual {
                guard case .string(let needle) = expected else { return false }
                return needle.isEmpty || text.contains(needle)
            }
            if case .list(let elements) = actual { return elements.contains { Self.equal($0, expected) } }
            return false
        default:
            return false
        }
    }

    static func equal(_ a: GoValue, _ b: GoValue) -> Bool {
        if let x = a.number, let y = b.number { return x == y }
        return a.printed == b.printed
    }

    /// Go's `%v` for a float64, found by search rather than by digit arithmetic: the fewest `%e` digits that read
    /// back exactly, then exponent form when the exponent is below -4 or at least 6, as `strconv` decides for `'g'`.
    static func goFloat(_ value: Double) -> String {
        if value == 0 { return "0" }
        var precision = 0
        while Double(String(format: "%.\(precision)e", value)) != value { precision += 1 }
        let scientific = String(format: "%.\(precision)e", value)
        let exponent = Int(scientific[scientific.index(after: scientific.firstIndex(of: "e")!)...])!
        if exponent < -4 || exponent >= 6 { return scientific }
        return String(format: "%.\(max(0, precision - exponent))f", value)
    }
}
