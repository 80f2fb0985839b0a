import WardenJSON

extension InterceptConverter.Builder {
    /// The counter limit Intercept enforces for `rule`: its first `lt`/`lte` condition on its own counter, as a whole
    /// number (`lt: N` allows up to N-1), and that condition's index; nil when the rule keeps no counted limit.
    static func limit(of rule: InterceptPolicy.Rule, in tool: InterceptPolicy.Tool) -> (index: Int, value: Int64)? {
        guard let counter = rule.counter else { return nil }
        let path = "state.\(tool.counterScope).\(counter.name)"
        for (index, condition) in rule.conditions.enumerated() where condition.path == path {
            guard case .number(let number) = condition.value, number.value.isFinite, abs(number.value) < 9e18 else { continue }
            let whole = Int64(number.value)
            if condition.op == "lte" { return (index, whole) }
            if condition.op == "lt" { return (index, whole - 1) }
        }
        return nil
    }

    /// Whether the counter `scope.counter` is ever counted; one without a limit stays at zero in Intercept.
    func isCounted(_ reference: (scope: String, counter: String)) -> Bool {
        for tool in policy.tools where tool.counterScope == reference.scope {
            for rule in tool.rules where rule.counter?.name == reference.counter { return Self.limit(of: rule, in: tool) != nil }
        }
        return false
    }

    /// Whether an Intercept condition holds for a counter that reads 0, as one that is never counted always does.
    static func holdsForZero(_ condition: InterceptPolicy.Condition) -> Bool {
        func equalsZero(_ value: JSONValue) -> Bool {
            switch value {
            case .number(let number): number.value == 0
            case .string(let text): text == "0"
            default: false
            }
        }
        let value = condition.value
        switch condition.op {
        case "eq": return equalsZero(value)
        case "neq": return !equalsZero(value)
        case "in": return value.arrayValue?.contains(where: equalsZero) ?? false
        case "not_in": return !(value.arrayValue?.contains(where: equalsZero) ?? false)
        case "lt": return 0 < (value.numberValue ?? -.infinity)
        case "lte": return 0 <= (value.numberValue ?? -.infinity)
        case "gt": return 0 > (value.numberValue ?? .infinity)
        case "gte": return 0 >= (value.numberValue ?? .infinity)
        case "exists": return value == .bool(true)
        default: return false
        }
    }

    /// Converts one Intercept rule into up to three Warden rules: its conditions, its counter, and the check that the
    /// counter's amount is a number.
    mutating func add(_ rule: InterceptPolicy.Rule, of tool: InterceptPolicy.Tool, label: String) {
        let base = "\(label): \(rule.name)"
        let denyReason = rule.onDeny ?? "Denied by rule \"\(rule.name)\""
        if rule.isDeny {
            emit(base, tool: tool, when: nil, effect: "action: deny", reason: denyReason)
            return
        }
        let limit = Self.limit(of: rule, in: tool)
        var clauses: [ImportedCondition] = []
        var neverHolds = false
        var inexpressible: [(SourcePosition, String)] = []
        for (index, condition) in rule.conditions.enumerated() {
            if let reference = condition.counterReference {
                if index == limit?.index { continue }  // enforced by the limit below: the counter never passes it
                if isCounted(reference) {
                    inexpressible.append((condition.position, "Warden conditions cannot read the live counter `\(condition.path)`"))
                } else if !Self.holdsForZero(condition) {
                    neverHolds = true
                }
                continue
            }
            do {
                clauses.append(try InterceptConverter.clause(for: condition, notes: &notes))
            } catch {
                inexpressible.append((condition.position, error.reason))
            }
        }
        let target = tool.isWildcard ? "every call" : "every call to \(tool.name)"
        for (position, reason) in inexpressible {
            notes.append(.init(kind: .failClosed, position: position, message: "\(reason); the converted rule \"\(base)\" denies \(target) instead"))
        }
        if !inexpressible.isEmpty || neverHolds {
            emit(base, tool: tool, when: nil, effect: "action: deny", reason: denyReason)
        } else if !clauses.isEmpty {
            emit(base, tool: tool, when: .not(.both(clauses)), effect: "action: deny", reason: denyReason)
        }
        guard let counter = rule.counter else { return }
        if let from = counter.incrementFrom {
            // Intercept refuses a call whose amount it cannot read as a number, limit or not.
            if let (path, guards) = try? InterceptConverter.argument(from) {
                let isNumber = ImportedCondition.both(guards + [.type(path, "number")])
                emit("\(base) (amount)", tool: tool, when: .not(isNumber), effect: "action: deny", reason: "\(from) must be a number to count it")
            } else {
                notes.append(.init(kind: .failClosed, position: counter.position, message: "Warden paths cannot name `\(from)`; \(target) is denied"))
                emit("\(base) (amount)", tool: tool, when: nil, effect: "action: deny", reason: "\(from) cannot be counted")
            }
        }
        guard let limit else { return }  // Intercept keeps no count without an lt/lte condition on the counter.
        let limitReason = rule.onDeny ?? "Rate limit exceeded for \(rule.name)"
        let window = counter.window
        let written = rule.rateLimit.map { "`rate_limit: \($0)`" } ?? "counter \"\(counter.name)\""
        notes.append(
            .init(
                kind: .calendarWindow,
                position: counter.position,
                message: "\(written) of \(tool.isWildcard ? "every tool" : tool.name): Intercept counts per calendar \(window.rawValue) in UTC"
                    + " and starts from zero at each new one; Warden counts in a sliding \(window.wardenDuration) window (per: global),"
                    + " so it never admits more than the limit within any \(window.rawValue), where Intercept can admit twice the limit"
                    + " around the turn of \(window == .hour ? "an" : "a") \(window.rawValue), and it frees room as calls age out, not all at once"
            )
        )
        if counter.incrementFrom != nil {
            notes.append(
                .init(
                    kind: .amountRounding,
                    position: counter.position,
                    message: "`increment_from: \(counter.incrementFrom!)`: Intercept counts the amount without its fraction (10.7 counts 10)"
                        + " and lets a negative amount lower the counter; Warden sums amounts exactly and denies a negative one"
                )
            )
        }
        if let from = counter.incrementFrom {
            guard limit.value > 0 else {
                notes.append(
                    .init(
                        kind: .failClosed,
                        position: counter.position,
                        message: "a limit of \(limit.value) admits only amounts of 0 or less in Intercept; Warden denies \(target)"
                    )
                )
                emit("\(base) (limit)", tool: tool, when: nil, effect: "action: deny", reason: limitReason)
                return
            }
            let budget = "budget: {sum: \(InterceptConverter.quoted(from)), max: \(limit.value), window: \(window.wardenDuration), per: global}"
            emit("\(base) (limit)", tool: tool, when: nil, effect: budget, reason: limitReason)
            return
        }
        let increment = Int64(counter.increment)
        if increment < 0 && limit.value >= 0 { return }  // the counter only goes down: the limit never binds
        let calls = increment > 0 && limit.value >= 0 ? limit.value / increment : 0
        if calls >= 1 {
            let rateLimit = "rate_limit: {max: \(calls), window: \(window.wardenDuration), per: global}"
            emit("\(base) (limit)", tool: tool, when: nil, effect: rateLimit, reason: limitReason)
        } else {
            emit("\(base) (limit)", tool: tool, when: nil, effect: "action: deny", reason: limitReason)  // not even one call fits
        }
    }
}
