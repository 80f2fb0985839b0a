import WardenJSON
import Yams

extension PolicyReader {
    static let testKeys = ["name", "tool", "args", "agent", "groups", "client", "server", "expect", "rule"]

    /// The `tests:` list; `rules` are the loaded rules, so a test naming a rule that does not exist is caught now.
    mutating func tests(_ node: Node, rules: [Rule]) -> [PolicyTestCase] {
        guard case .sequence(let sequence) = node else {
            fail(.wrongType, at: node, "`tests` must be a list of tests, each starting with `- `, not \(Self.shape(of: node))")
            return []
        }
        var tests: [PolicyTestCase] = []
        for (offset, element) in sequence.enumerated() {
            if let test = test(element, number: offset + 1, rules: rules) { tests.append(test) }
        }
        return tests
    }

    private mutating func test(_ node: Node, number: Int, rules: [Rule]) -> PolicyTestCase? {
        guard let entries = entries(of: node, "a test") else { return nil }
        checkKeys(
            entries,
            allowed: Self.testKeys,
            in: "a test",
            aliases: ["arguments": "args", "expected": "expect", "expects": "expect", "agent_groups": "groups", "group": "groups"]
        )
        var name = "test #\(number)"
        var tool: String?
        var arguments: JSONValue = .object(JSONObject())
        var agentID: String?
        var groups: [String] = []
        var clientName: String?
        var server: String?
        var expect: PolicyTestCase.Expectation?
        var rule: String?
        var ruleNode: Node?
        var complete = true
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "name": name = text(value, "name") ?? name
            case "tool":
                tool = text(value, "tool")
                complete = complete && tool != nil
            case "args":
                guard case .mapping = value else {
                    fail(.wrongType, at: value, "`args` must be a map of argument names to values, not \(Self.shape(of: value))")
                    complete = false
                    continue
                }
                arguments = json(value)
            case "agent": agentID = text(value, "agent")
            case "groups": groups = names(value, "groups") ?? []
            case "client": clientName = text(value, "client")
            case "server": server = text(value, "server")
            case "expect":
                let options = PolicyTestCase.Expectation.all.map(\.description)
                expect = word(value, "expect", options: options, aliases: Self.actionAliases, PolicyTestCase.Expectation.init(name:))
                complete = complete && expect != nil
            case "rule":
                rule = text(value, "rule")
                ruleNode = value
            default:
                break
            }
        }
        if !entries.contains(where: { $0.key == "tool" }) { fail(.missingKey, at: node, "test \"\(name)\" needs `tool`, the tool to call") }
        if !entries.contains(where: { $0.key == "expect" }) {
            fail(.missingKey, at: node, "test \"\(name)\" needs `expect`: allow, deny, require_approval or hidden")
        }
        if let rule, let ruleNode {
            let names = rules.map(\.name)
            if expect == .hidden {
                fail(.badValue, at: ruleNode, "a hidden tool is not decided by a rule; remove `rule` or expect an action")
            } else if !names.contains(rule) {
                var message = "no rule is named \"\(rule)\""
                if let suggestion = Suggestion.closest(to: rule, among: names) { message += "; did you mean \"\(suggestion)\"?" }
                fail(.unknownRule, at: ruleNode, message)
            }
        }
        guard complete, let tool, let expect else { return nil }
        return PolicyTestCase(
            name: name,
            position: position(of: node),
            tool: tool,
            arguments: arguments,
            agentID: agentID,
            agentGroups: groups,
            clientName: clientName,
            server: server,
            expect: expect,
            rule: rule
        )
    }
}
