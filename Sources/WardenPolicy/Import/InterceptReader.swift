import WardenJSON
import Yams

/// Reads an Intercept policy file, checking it as Intercept's own `validate` does, with line and column for each problem.
///
/// Intercept reads YAML leniently: a key it does not know is skipped. The reader keeps such keys in
/// `InterceptPolicy.ignoredKeys`, so the conversion can say they had no effect, instead of refusing the file.
public struct InterceptReader: YAMLReading {
    public let fileName: String
    public var errors: [PolicyError] = []
    /// Keys skipped so far, as Intercept skips them.
    var ignoredKeys: [InterceptPolicy.IgnoredKey] = []

    static let topKeys = ["version", "description", "default", "hide", "tools"]

    init(fileName: String) {
        self.fileName = fileName
    }

    /// Reads the policy in `yaml`; throws every problem found, in file order.
    public static func read(yaml: String, fileName: String) throws(PolicyLoadError) -> InterceptPolicy {
        let root: Node?
        do {
            root = try YAMLSource.compose(yaml, fileName: fileName)
        } catch {
            throw PolicyLoadError(errors: [error])
        }
        guard let root else {
            let position = SourcePosition(fileName: fileName, line: 1, column: 1)
            throw PolicyLoadError(errors: [
                PolicyError(code: .missingKey, position: position, message: "the Intercept policy is empty; it starts with `version: \"1\"`")
            ])
        }
        var reader = InterceptReader(fileName: fileName)
        let policy = reader.policy(root)
        guard reader.errors.isEmpty, let policy else {
            let sorted = reader.errors.enumerated().sorted { a, b in
                let (pa, pb) = (a.element.position, b.element.position)
                if pa.line != pb.line { return pa.line < pb.line }
                if pa.column != pb.column { return pa.column < pb.column }
                return a.offset < b.offset
            }
            throw PolicyLoadError(errors: sorted.map(\.element))
        }
        return policy
    }

    mutating func policy(_ node: Node) -> InterceptPolicy? {
        guard let entries = entries(of: node, "an Intercept policy") else { return nil }
        var policy = InterceptPolicy(description: nil, denyByDefault: false, hide: [], tools: [], ignoredKeys: [], fileName: fileName)
        var version: String?
        for entry in entries {
            switch entry.key {
            case "version":
                version = scalarText(entry.value)
                if version != "1" {
                    fail(.unsupportedVersion, at: entry.value, "Intercept policy `version` must be \"1\", not \(Self.shape(of: entry.value))")
                }
            case "description":
                policy.description = text(entry.value, "description")
            case "default":
                switch scalarText(entry.value) {
                case "allow", "": policy.denyByDefault = false
                case "deny": policy.denyByDefault = true
                default: fail(.badValue, at: entry.value, "`default` must be \"allow\" or \"deny\", not \(Self.shape(of: entry.value))")
                }
            case "hide":
                policy.hide = hide(entry.value)
            case "tools":
                policy.tools = tools(entry.value)
            default:
                ignore(entry)
            }
        }
        policy.ignoredKeys = ignoredKeys
        if version == nil { fail(.missingKey, at: node, "an Intercept policy needs `version: \"1\"`") }
        checkCounterReferences(policy)
        return policy
    }

    /// `hide: [name, …]`: non-empty names, each once.
    private mutating func hide(_ node: Node) -> [String] {
        guard case .sequence(let sequence) = node else {
            fail(.wrongType, at: node, "`hide` must be a list of tool names, not \(Self.shape(of: node))")
            return []
        }
        var names: [String] = []
        for element in sequence {
            guard let name = text(element, "a `hide` entry") else { continue }
            if name.allSatisfy(\.isWhitespace) {
                fail(.badValue, at: element, "a `hide` entry must not be empty")
            } else if names.contains(name) {
                fail(.badValue, at: element, "`hide` lists \"\(name)\" twice")
            } else {
                names.append(name)
            }
        }
        return names
    }

    /// `tools: {name: {rules: […]}, …}`.
    private mutating func tools(_ node: Node) -> [InterceptPolicy.Tool] {
        if case .scalar(let scalar) = node, case .null = PolicyReader.resolve(scalar) { return [] }
        guard let entries = entries(of: node, "`tools`") else { return [] }
        var tools: [InterceptPolicy.Tool] = []
        for entry in entries {
            var tool = InterceptPolicy.Tool(name: entry.key, rules: [], position: position(of: entry.keyNode))
            if case .scalar(let scalar) = entry.value, case .null = PolicyReader.resolve(scalar) {
                tools.append(tool)
                continue
            }
            guard let toolEntries = self.entries(of: entry.value, "the entry for tool \"\(entry.key)\"") else { continue }
            var counters: [String: Int] = [:]
            for toolEntry in toolEntries {
                guard toolEntry.key == "rules" else {
                    ignore(toolEntry)
                    continue
                }
                if case .scalar(let scalar) = toolEntry.value, case .null = PolicyReader.resolve(scalar) { continue }
                guard case .sequence(let sequence) = toolEntry.value else {
                    fail(.wrongType, at: toolEntry.value, "`rules` must be a list of rules, not \(Self.shape(of: toolEntry.value))")
                    continue
                }
                for (index, element) in sequence.enumerated() {
                    guard let rule = rule(element, tool: tool) else { continue }
                    if let counter = rule.counter {
                        if let first = counters[counter.name] {
                            fail(
                                .duplicateName,
                                at: element,
                                "tool \"\(tool.name)\" rule \(index + 1) uses counter \"\(counter.name)\", already used by rule \(first + 1)"
                            )
                        } else {
                            counters[counter.name] = index
                        }
                    }
                    tool.rules.append(rule)
                }
            }
            tools.append(tool)
        }
        return tools
    }

    /// Records a key Intercept would skip.
    mutating func ignore(_ entry: YAMLEntry) {
        ignoredKeys.append(InterceptPolicy.IgnoredKey(key: entry.key, position: position(of: entry.keyNode)))
    }

    /// Every `state.SCOPE.COUNTER` condition needs a rule of that scope that keeps the counter, as Intercept checks.
    private mutating func checkCounterReferences(_ policy: InterceptPolicy) {
        var kept: Set<String> = []
        for tool in policy.tools {
            for rule in tool.rules { if let counter = rule.counter { kept.insert(tool.counterScope + "." + counter.name) } }
        }
        for tool in policy.tools {
            for rule in tool.rules {
                for condition in rule.conditions {
                    guard let reference = condition.counterReference else { continue }
                    if !kept.contains(reference.scope + "." + reference.counter) {
                        fail(
                            .badPath,
                            at: condition.position,
                            "condition reads `\(condition.path)`, but no rule of \"\(reference.scope)\" keeps a counter \"\(reference.counter)\""
                                + " (`state: {counter: \(reference.counter), …}`)"
                        )
                    }
                }
            }
        }
    }

    /// A scalar's text, or nil (with an error) when `node` is not a scalar.
    mutating func text(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(.wrongType, at: node, "\(what) must be text, not \(Self.shape(of: node))")
            return nil
        }
        return scalar.string
    }

    /// A scalar's text, or nil when `node` is not a scalar.
    func scalarText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        return scalar.string
    }
}
