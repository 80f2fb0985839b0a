import WardenJSON
import Yams

extension InterceptReader {
    static let operators = ["eq", "neq", "in", "not_in", "lt", "lte", "gt", "gte", "regex", "contains", "exists"]

    /// One rule of `tool`, with the `rate_limit` shorthand expanded as Intercept expands it.
    mutating func rule(_ node: Node, tool: InterceptPolicy.Tool) -> InterceptPolicy.Rule? {
        guard let entries = entries(of: node, "a rule") else { return nil }
        var rule = InterceptPolicy.Rule(
            name: "",
            isDeny: false,
            conditions: [],
            onDeny: nil,
            counter: nil,
            rateLimit: nil,
            position: position(of: node)
        )
        var action: (text: String, node: Node)?
        var conditionsNode: Node?
        var stateNode: Node?
        var rateLimitNode: Node?
        for entry in entries {
            switch entry.key {
            case "name": rule.name = text(entry.value, "`name`") ?? ""
            case "action": action = (scalarText(entry.value) ?? "", entry.value)
            case "on_deny": rule.onDeny = text(entry.value, "`on_deny`")
            case "conditions": conditionsNode = entry.value
            case "state": stateNode = entry.value
            case "rate_limit": rateLimitNode = entry.value
            default: ignore(entry)
            }
        }
        if let conditionsNode { rule.conditions = conditions(conditionsNode) }
        if let stateNode { rule.counter = counter(stateNode) }
        if let rateLimitNode {
            if conditionsNode != nil || stateNode != nil {
                fail(.badValue, at: rateLimitNode, "`rate_limit` cannot be combined with `conditions` or `state`; write separate rules")
            }
            if action?.text == "deny" {
                fail(.badValue, at: rateLimitNode, "`rate_limit` cannot be used with `action: deny`")
            }
            guard let (count, window) = rateLimit(rateLimitNode) else { return nil }
            let counterName = "_rate_" + window.rawValue
            let at = position(of: rateLimitNode)
            rule.rateLimit = "\(count)/\(window.rawValue)"
            rule.conditions = [
                InterceptPolicy.Condition(
                    path: "state.\(tool.counterScope).\(counterName)",
                    op: "lte",
                    value: .number(JSONNumber(count)),
                    position: at
                )
            ]
            rule.counter = InterceptPolicy.Counter(name: counterName, window: window, increment: 1, incrementFrom: nil, position: at)
            if rule.onDeny == nil { rule.onDeny = "Rate limit of \(count) per \(window.rawValue) reached. Try again later." }
        }
        if rule.name.isEmpty { fail(.missingKey, at: node, "every Intercept rule needs a `name`") }
        switch action?.text {
        case nil, "evaluate":
            var written = 0
            if case .sequence(let sequence)? = conditionsNode { written = sequence.count }
            if written == 0, rateLimitNode == nil {
                fail(.missingKey, at: node, "rule \"\(rule.name)\" evaluates but has no `conditions`; add one, or write `action: deny`")
            }
        case "deny":
            rule.isDeny = true
            if conditionsNode != nil { fail(.badValue, at: conditionsNode!, "a rule with `action: deny` must not have `conditions`") }
        default:
            fail(.badValue, at: action!.node, "`action` must be \"evaluate\" or \"deny\", not \(Self.shape(of: action!.node))")
        }
        return rule
    }

    /// `5/hour`: a positive count and a window.
    private mutating func rateLimit(_ node: Node) -> (Int, InterceptPolicy.Window)? {
        let text = scalarText(node) ?? ""
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            fail(.badValue, at: node, "`rate_limit` is written N/window, like 5/hour, not \(Self.shape(of: node))")
            return nil
        }
        guard let count = Int(parts[0]), count > 0 else {
            fail(.badValue, at: node, "the count in `rate_limit` must be a positive whole number, not `\(parts[0])`")
            return nil
        }
        guard let window = InterceptPolicy.Window(rawValue: String(parts[1])) else {
            fail(.badValue, at: node, "the window in `rate_limit` must be minute, hour or day, not `\(parts[1])`")
            return nil
        }
        return (count, window)
    }

    private mutating func conditions(_ node: Node) -> [InterceptPolicy.Condition] {
        guard case .sequence(let sequence) = node else {
            fail(.wrongType, at: node, "`conditions` must be a list of {path, op, value}, not \(Self.shape(of: node))")
            return []
        }
        return sequence.compactMap { condition($0) }
    }

    private mutating func condition(_ node: Node) -> InterceptPolicy.Condition? {
        guard let entries = entries(of: node, "a condition") else { return nil }
        var path = ""
        var op = ""
        var value = JSONValue.null
        var valueNode: Node?
        for entry in entries {
            switch entry.key {
            case "path": path = text(entry.value, "`path`") ?? ""
            case "op": op = text(entry.value, "`op`") ?? ""
            case "value":
                value = json(entry.value)
                valueNode = entry.value
            default: ignore(entry)
            }
        }
        let at = valueNode ?? node
        if !path.hasPrefix("args.") && !path.hasPrefix("state.") {
            fail(.badPath, at: node, "a condition's `path` starts with `args.` or `state.`, not `\(path)`")
        }
        guard Self.operators.contains(op) else {
            fail(.unknownTest, at: node, "unknown operator `\(op)`; Intercept's are \(Self.operators.joined(separator: " "))")
            return nil
        }
        switch op {
        case "in", "not_in":
            guard case .array = value else {
                fail(.wrongType, at: at, "operator `\(op)` needs a list value")
                return nil
            }
        case "lt", "lte", "gt", "gte":
            guard case .number = value else {
                fail(.wrongType, at: at, "operator `\(op)` needs a number value")
                return nil
            }
        case "exists":
            guard case .bool = value else {
                fail(.wrongType, at: at, "operator `exists` needs `true` or `false`")
                return nil
            }
        case "regex":
            guard case .string = value else {
                fail(.wrongType, at: at, "operator `regex` needs a pattern as text")
                return nil
            }
        default:
            break
        }
        return InterceptPolicy.Condition(path: path, op: op, value: value, position: position(of: node))
    }

    private mutating func counter(_ node: Node) -> InterceptPolicy.Counter? {
        guard let entries = entries(of: node, "`state`") else { return nil }
        var counter = InterceptPolicy.Counter(name: "", window: .minute, increment: 1, incrementFrom: nil, position: position(of: node))
        var hasWindow = false
        for entry in entries {
            switch entry.key {
            case "counter":
                counter.name = text(entry.value, "`counter`") ?? ""
            case "window":
                if let window = scalarText(entry.value).flatMap(InterceptPolicy.Window.init(rawValue:)) {
                    counter.window = window
                    hasWindow = true
                } else {
                    fail(.badValue, at: entry.value, "`window` must be minute, hour or day, not \(Self.shape(of: entry.value))")
                    hasWindow = true
                }
            case "increment":
                guard case .number(let number) = json(entry.value), let whole = number.intValue else {
                    fail(.wrongType, at: entry.value, "`increment` must be a whole number, not \(Self.shape(of: entry.value))")
                    continue
                }
                counter.increment = whole == 0 ? 1 : whole
            case "increment_from":
                let path = text(entry.value, "`increment_from`") ?? ""
                if !path.hasPrefix("args.") {
                    fail(.badPath, at: entry.value, "`increment_from` names an argument, like `args.amount`, not `\(path)`")
                }
                counter.incrementFrom = path.isEmpty ? nil : path
            default:
                ignore(entry)
            }
        }
        if counter.name.isEmpty { fail(.missingKey, at: node, "`state` needs a `counter` name") }
        if !hasWindow { fail(.missingKey, at: node, "`state` needs a `window`: minute, hour or day") }
        return counter
    }

    /// A YAML value as JSON, scalars read by the YAML 1.2 core schema, as Intercept's YAML library reads them.
    mutating func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return PolicyReader.resolve(scalar)
        case .sequence(let sequence):
            return .array(sequence.map { json($0) })
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else { continue }
                object[scalar.string] = json(value)
            }
            return .object(object)
        case .alias:
            return .null
        }
    }
}
