import WardenJSON
import Yams

extension PolicyReader {
    static let ruleKeys = ["name", "tool", "agent", "server", "category", "when", "action", "reason", "rate_limit", "budget", "approval", "validate_arguments"]
    static let ruleAliases = [
        "tools": "tool", "agents": "agent", "servers": "server", "categories": "category", "if": "when", "where": "when",
        "condition": "when", "conditions": "when", "ratelimit": "rate_limit", "rate-limit": "rate_limit", "limit": "rate_limit",
        "message": "reason", "effect": "action", "decision": "action",
    ]

    /// The `rules:` list.
    mutating func rules(_ node: Node) -> [Rule] {
        guard case .sequence(let sequence) = node else {
            fail(.wrongType, at: node, "`rules` must be a list of rules, each starting with `- `, not \(Self.shape(of: node))")
            return []
        }
        var rules: [Rule] = []
        var firstByName: [String: SourcePosition] = [:]
        for (offset, element) in sequence.enumerated() {
            guard let (rule, nameNode) = rule(element, number: offset + 1) else { continue }
            if let first = firstByName[rule.name] {
                fail(
                    .duplicateName,
                    at: nameNode ?? element,
                    "rule name \"\(rule.name)\" is already used at line \(first.line); give each rule its own name"
                )
            } else {
                firstByName[rule.name] = rule.position
            }
            rules.append(rule)
        }
        return rules
    }

    /// One rule, and the node of its name for duplicate-name errors.
    private mutating func rule(_ node: Node, number: Int) -> (Rule, Node?)? {
        guard let entries = entries(of: node, "a rule") else { return nil }
        checkKeys(entries, allowed: Self.ruleKeys, in: "a rule", aliases: Self.ruleAliases)
        var rule = Rule(name: "rule #\(number)", position: position(of: node))
        var nameNode: Node?
        var approvalNode: Node?
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "name":
                nameNode = value
                if let name = text(value, "name") { rule.name = name }
            case "tool":
                rule.tools = names(value, "tool")
            case "agent":
                rule.agents = names(value, "agent")
            case "server":
                rule.servers = names(value, "server")
            case "category":
                rule.categories = categories(value)
            case "when":
                rule.condition = when(value)
            case "action":
                rule.action = action(value, "action")
                rule.actionPosition = position(of: entry.keyNode)
            case "reason":
                rule.reason = text(value, "reason")
            case "rate_limit":
                rule.rateLimit = rateLimit(value)
                rule.rateLimitPosition = position(of: entry.keyNode)
            case "budget":
                rule.budget = budget(value)
                rule.budgetPosition = position(of: entry.keyNode)
            case "validate_arguments":
                rule.validateArguments = boolean(value, "validate_arguments")
            case "approval":
                approvalNode = entry.keyNode
                rule.approval = approval(value)
                rule.approvalPosition = position(of: entry.keyNode)
            default:
                break
            }
        }
        let hasEffect = ["action", "rate_limit", "budget", "approval", "validate_arguments"].contains { key in entries.contains { $0.key == key } }
        if !hasEffect {
            fail(
                .missingKey,
                at: node,
                "rule \"\(rule.name)\" does nothing; give it an `action` (allow, deny or require_approval), a `rate_limit` or a `budget`"
            )
        }
        // A misspelt action is reported on its own; an approval block without require_approval is reported here.
        let actionIsUnreadable = rule.action == nil && entries.contains { $0.key == "action" }
        if let approvalNode, rule.action != .requireApproval, !actionIsUnreadable {
            fail(.badValue, at: approvalNode, "`approval` applies only to `action: require_approval`; add that action or remove `approval`")
        }
        return (rule, nameNode)
    }

    /// `category: destructive` or `category: [destructive, financial]`.
    private mutating func categories(_ node: Node) -> [ToolCategory]? {
        guard let names = namedNodes(node, "category") else { return nil }
        var categories: [ToolCategory] = []
        let options = ToolCategory.all.map(\.description)
        for (name, at) in names {
            if let category = ToolCategory(name: name) {
                categories.append(category)
                continue
            }
            var message = "unknown category `\(name)`; "
            if let suggestion = Suggestion.closest(to: name, among: options) {
                message += "did you mean `\(suggestion)`?"
            } else {
                message += "write one of \(options.map { "`\($0)`" }.joined(separator: ", "))"
            }
            fail(.badValue, at: at, message)
        }
        return categories.count == names.count ? categories : nil
    }

    /// `rate_limit: {max: 10, window: 60, per: agent}`.
    private mutating func rateLimit(_ node: Node) -> RateLimit? {
        guard let entries = entries(of: node, "`rate_limit`") else { return nil }
        checkKeys(entries, allowed: ["max", "window", "per"], in: "`rate_limit`", aliases: ["limit": "max", "count": "max", "period": "window"])
        var max: Int?
        var window: Duration?
        var per = LimitScope.session
        var complete = true
        for entry in entries {
            switch entry.key {
            case "max":
                max = positiveInteger(entry.value, "max")
                complete = complete && max != nil
            case "window":
                window = duration(entry.value, "window")
                complete = complete && window != nil
            case "per":
                if let scope = scope(entry.value) { per = scope } else { complete = false }
            default:
                break
            }
        }
        if !entries.contains(where: { $0.key == "max" }) {
            fail(.missingKey, at: node, "`rate_limit` needs `max`, the number of calls allowed per window")
        }
        if !entries.contains(where: { $0.key == "window" }) { fail(.missingKey, at: node, "`rate_limit` needs `window`, like `window: 1m`") }
        guard complete, let max, let window else { return nil }
        return RateLimit(max: max, window: window, per: per)
    }

    /// `budget: {sum: args.amount, max: 100000, window: 1d, per: agent}`.
    private mutating func budget(_ node: Node) -> Budget? {
        guard let entries = entries(of: node, "`budget`") else { return nil }
        checkKeys(entries, allowed: ["sum", "max", "window", "per"], in: "`budget`", aliases: ["path": "sum", "amount": "sum", "limit": "max"])
        var sum: ValuePath?
        var max: Double?
        var window: Duration?
        var per = LimitScope.session
        var complete = true
        for entry in entries {
            switch entry.key {
            case "sum":
                if let text = text(entry.value, "sum") {
                    do {
                        sum = try ValuePath(parsing: text)
                    } catch {
                        fail(.badPath, at: entry.value, error.message)
                    }
                }
                complete = complete && sum != nil
            case "max":
                max = positiveNumber(entry.value, "max")
                complete = complete && max != nil
            case "window":
                window = duration(entry.value, "window")
                complete = complete && window != nil
            case "per":
                if let scope = scope(entry.value) { per = scope } else { complete = false }
            default:
                break
            }
        }
        for (key, meaning) in [
            ("sum", "the argument to add up, like `sum: args.amount`"), ("max", "the largest total allowed per window"),
            ("window", "like `window: 1d`"),
        ]
        where !entries.contains(where: { $0.key == key }) {
            fail(.missingKey, at: node, "`budget` needs `\(key)`, \(meaning)")
        }
        guard complete, let sum, let max, let window else { return nil }
        return Budget(sum: sum, max: max, window: window, per: per)
    }

    /// `approval: {timeout: 10m, approvers: [alice], ask_client: false}`.
    private mutating func approval(_ node: Node) -> ApprovalSettings? {
        guard let entries = entries(of: node, "`approval`") else { return nil }
        checkKeys(
            entries,
            allowed: ["timeout", "approvers", "ask_client"],
            in: "`approval`",
            aliases: ["approver": "approvers", "expires": "timeout", "elicit": "ask_client", "elicitation": "ask_client", "in_band": "ask_client"]
        )
        var settings = ApprovalSettings()
        for entry in entries {
            switch entry.key {
            case "timeout":
                if let timeout = duration(entry.value, "timeout") { settings.timeout = timeout }
            case "approvers":
                settings.approvers = names(entry.value, "approvers") ?? []
            case "ask_client":
                if let askClient = flag(entry.value, "ask_client") { settings.askClient = askClient }
            default:
                break
            }
        }
        return settings
    }

    /// `true` or `false`; anything else (`yes`, `1`, a quoted "true") is an error rather than a guess.
    private mutating func flag(_ node: Node, _ key: String) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain, let value = Self.resolve(scalar).boolValue { return value }
        fail(.badValue, at: node, "`\(key)` must be `true` or `false`, not \(Self.shape(of: node))")
        return nil
    }

    private mutating func scope(_ node: Node) -> LimitScope? {
        word(
            node,
            "per",
            options: LimitScope.all.map(\.description),
            aliases: ["user": "agent", "all": "global", "connection": "session"],
            LimitScope.init(name:)
        )
    }
}
