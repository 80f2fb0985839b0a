import Yams

extension PolicyReader {
    static let policyKeys = [
        "version", "description", "default", "hide", "rules", "tests", "fail", "audit", "categories", "validate_arguments",
        "strict_formats", "poisoning", "pins",
    ]
    static let actionAliases = [
        "block": "deny", "reject": "deny", "refuse": "deny", "forbid": "deny", "denied": "deny",
        "permit": "allow", "accept": "allow", "allowed": "allow",
        "approve": "require_approval", "approval": "require_approval", "ask": "require_approval", "confirm": "require_approval",
        "requireapproval": "require_approval", "require-approval": "require_approval", "needs_approval": "require_approval",
    ]

    /// The whole policy, or nil when the top level is not a map.
    mutating func policy(_ root: Node) -> Policy? {
        guard let entries = entries(of: root, "the policy file") else { return nil }
        checkKeys(entries, allowed: Self.policyKeys, in: "the policy", aliases: ["rule": "rules", "test": "tests", "hidden": "hide"])
        var policy = Policy(fileName: fileName)
        var sawVersion = false
        for entry in entries {
            switch entry.key {
            case "version":
                sawVersion = true
                if let version = positiveInteger(entry.value, "version") {
                    if version == 1 {
                        policy.version = version
                    } else {
                        fail(.unsupportedVersion, at: entry.value, "policy version \(version) is not supported; this Warden reads `version: 1`")
                    }
                }
            case "description":
                policy.description = text(entry.value, "description")
            case "default":
                if let action = action(entry.value, "default") { policy.defaultAction = action }
            case "hide":
                if case .sequence(let sequence) = entry.value, sequence.isEmpty { break }
                policy.hide = names(entry.value, "hide") ?? []
            case "fail":
                let options = ["closed", "open"]
                if let mode = word(entry.value, "fail", options: options, FailMode.init(name:)) { policy.failMode = mode }
            case "audit":
                if let audit = audit(entry.value) { policy.audit = audit }
            case "categories":
                policy.categories = categories(entry.value)
            case "validate_arguments":
                if let value = boolean(entry.value, "validate_arguments") { policy.definitions.validateArguments = value }
            case "strict_formats":
                if let value = boolean(entry.value, "strict_formats") { policy.definitions.strictFormats = value }
            case "poisoning":
                let options = DefinitionSettings.PoisoningMode.allCases.map(\.rawValue)
                if let mode = word(entry.value, "poisoning", options: options, DefinitionSettings.PoisoningMode.init(rawValue:)) {
                    policy.definitions.poisoning = mode
                }
            case "pins":
                pins(entry.value, into: &policy.definitions)
            default:
                break
            }
        }
        if !sawVersion {
            fail(.missingKey, at: SourcePosition(fileName: fileName, line: 1, column: 1), "missing `version: 1` at the top of the policy file")
        }
        if let rules = entries.first(where: { $0.key == "rules" }) {
            policy.rules = self.rules(rules.value)
        }
        if let tests = entries.first(where: { $0.key == "tests" }) {
            policy.tests = self.tests(tests.value, rules: policy.rules)
        }
        return policy
    }

    mutating func action(_ node: Node, _ key: String) -> Action? {
        word(node, key, options: Action.all.map(\.description), aliases: Self.actionAliases, Action.init(name:))
    }

    /// `audit: {args: hash | full | redact, redact: [args.path, args.list[*].key, …]}`.
    private mutating func audit(_ node: Node) -> AuditSettings? {
        guard let entries = entries(of: node, "`audit`") else { return nil }
        checkKeys(entries, allowed: ["args", "redact"], in: "`audit`")
        var settings = AuditSettings()
        var mode: AuditSettings.ArgumentMode?
        var redactEntry: Entry?
        for entry in entries {
            switch entry.key {
            case "args":
                mode = word(entry.value, "args", options: AuditSettings.ArgumentMode.all.map(\.description), AuditSettings.ArgumentMode.init(name:))
            case "redact":
                redactEntry = entry
                for (name, node) in namedNodes(entry.value, "redact") ?? [] {
                    guard name == "args" || name.hasPrefix("args.") || name.hasPrefix("args[") else {
                        fail(.badPath, at: node, "`redact` lists argument paths; write `args.\(name)` or another path under `args`")
                        continue
                    }
                    do {
                        settings.redact.append(try AuditSettings.RedactPath(parsing: name))
                    } catch {
                        fail(.badPath, at: node, error.message)
                    }
                }
            default:
                break
            }
        }
        if let redactEntry {
            if let mode, mode != .redact {
                fail(.badValue, at: redactEntry.keyNode, "`redact` applies only with `args: redact`; change `args: \(mode)` or remove `redact`")
            }
            settings.arguments = .redact
        } else if let mode {
            if mode == .redact {
                fail(.missingKey, at: node, "`args: redact` needs a `redact:` list of argument paths to hide, like `redact: [args.token]`")
            }
            settings.arguments = mode
        }
        return settings
    }

    /// `pins: {mode: enforce | warn | off, new_tools: trust | hold}`.
    private mutating func pins(_ node: Node, into settings: inout DefinitionSettings) {
        guard let entries = entries(of: node, "`pins`") else { return }
        checkKeys(entries, allowed: ["mode", "new_tools"], in: "`pins`")
        for entry in entries {
            switch entry.key {
            case "mode":
                let options = DefinitionSettings.PinMode.allCases.map(\.rawValue)
                if let mode = word(entry.value, "mode", options: options, DefinitionSettings.PinMode.init(rawValue:)) {
                    settings.pinMode = mode
                }
            case "new_tools":
                if let hold = word(entry.value, "new_tools", options: ["trust", "hold"], { ["trust": false, "hold": true][$0] }) {
                    settings.holdNewTools = hold
                }
            default:
                break
            }
        }
    }

    /// `true` or `false`.
    mutating func boolean(_ node: Node, _ key: String) -> Bool? {
        word(node, key, options: ["true", "false"]) { ["true": true, "false": false][$0] }
    }

    /// `categories: {tool_name: destructive, …}`.
    private mutating func categories(_ node: Node) -> [String: ToolCategory] {
        guard let entries = entries(of: node, "`categories`") else { return [:] }
        var categories: [String: ToolCategory] = [:]
        for entry in entries {
            let options = ToolCategory.all.map(\.description)
            if let category = word(entry.value, entry.key, options: options, ToolCategory.init(name:)) {
                categories[entry.key] = category
            }
        }
        return categories
    }
}
