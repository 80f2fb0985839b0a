import WardenJSON
import WardenPolicy

/// Writes a first policy for a server from a scan of its tools: a cautious starting point that loads, passes its own
/// tests, and shows a person where to tighten it.
///
/// Every listed tool gets a rule by what it does: destructive and financial tools wait for a person, execute and
/// write tools are rate-limited, reads (and tools that only compute) are allowed, and one limit counts every call. So `default` decides only the
/// tools the scan did not see (a tool the server adds later), which is what `--default deny` is for. Rules name
/// tools exactly, never by `category:`, so the policy means what the scan printed even if the classifier changes.
enum StarterPolicy {
    /// The calls per minute per agent each kind of rule allows.
    static let executeLimit = 10
    static let writeLimit = 30
    static let globalLimit = 120

    /// The rules' names, which the tests name too.
    static let destructiveRule = "destructive tools need a person"
    static let financialRule = "financial tools need a person"
    static let executeRule = "execute tools are rate-limited"
    static let writeRule = "write tools are rate-limited"
    static let readRule = "read and other tools are allowed"
    static let globalRule = "every call counts against a global limit"

    /// The policy text for the tools of one server, in the order the server listed them.
    ///
    /// `definitions` supply the schemas for the tests' arguments and the stubs' placeholders; they are matched to
    /// `assessments` by position when the names agree, else by name. `defaultAction` decides tools no rule names.
    static func write(assessments: [ToolAssessment], definitions: [ToolDefinition], default defaultAction: Action, server: String?) -> String {
        let tools = Tool.unique(assessments: assessments, definitions: definitions)
        var text = header(assessments: assessments, tools: tools, server: server)
        text += "version: 1\n"
        let serverPart = server.map { " for \($0)" } ?? ""
        text += "description: \(quoted("Starter policy\(serverPart) from warden scan (\(tools.count) tools)"))\n"
        text += "default: \(defaultAction)\n\n"
        text += "rules:\n"
        var cases: [TestCase] = []
        for group in Group.all {
            let members = tools.filter { group.categories.contains($0.assessment.category) }
            guard let first = members.first else { continue }
            text += group.rule(members.map(\.name))
            cases.append(TestCase(group: group, tool: first))
            if group.name == executeRule { text += stubs(for: members) }
        }
        text += "  - name: \(globalRule)\n"
        text += "    rate_limit: {max: \(globalLimit), window: 1m, per: agent}\n\n"
        text += "tests:\n"
        for testCase in cases { text += testCase.yaml }
        text += unlistedTest(names: Set(tools.map { ScalarKey($0.name) }), defaultAction: defaultAction)
        text += stubTests(for: tools.filter { $0.assessment.category == .execute })
        return text
    }

    // MARK: - Tools

    /// One tool name as the policy treats it: the strictest of its assessments when the server listed it twice.
    struct Tool {
        var name: String
        var assessment: ToolAssessment
        var definition: ToolDefinition?

        /// The tools by name, first appearance first; a repeated name keeps its most dangerous reading, since one
        /// rule decides every call to that name.
        static func unique(assessments: [ToolAssessment], definitions: [ToolDefinition]) -> [Tool] {
            var tools: [Tool] = []
            var index: [ScalarKey: Int] = [:]
            for (offset, assessment) in assessments.enumerated() {
                let definition =
                    offset < definitions.count && ScalarKey.equal(definitions[offset].name, assessment.name)
                    ? definitions[offset] : definitions.first { ScalarKey.equal($0.name, assessment.name) }
                let tool = Tool(name: assessment.name, assessment: assessment, definition: definition)
                if let existing = index[ScalarKey(assessment.name)] {
                    if rank(of: assessment) > rank(of: tools[existing].assessment) { tools[existing] = tool }
                } else {
                    index[ScalarKey(assessment.name)] = tools.count
                    tools.append(tool)
                }
            }
            return tools
        }

        /// How strictly the policy treats a reading: by the rule its category lands in, then by severity.
        static func rank(of assessment: ToolAssessment) -> Int {
            let category: Int
            switch assessment.category {
            case .destructive, .financial: category = 3
            case .execute: category = 2
            case .write: category = 1
            default: category = 0
            }
            return category * 10 + assessment.severity.rawValue
        }
    }

    // MARK: - Rules

    /// One rule for a set of categories, with what a call to its first tool must get.
    struct Group {
        var name: String
        var categories: [ToolCategory]
        var lines: [String]
        var expect: Action
        var verb: String

        static let all = [
            Group(
                name: StarterPolicy.destructiveRule,
                categories: [.destructive],
                lines: [
                    "action: require_approval", "reason: \"Deletes or destroys something: a person approves each call\"",
                    "approval: {timeout: 10m}",
                ],
                expect: .requireApproval,
                verb: "waits for a person"
            ),
            Group(
                name: StarterPolicy.financialRule,
                categories: [.financial],
                lines: [
                    "action: require_approval", "reason: \"Moves money or commits to a payment: a person approves each call\"",
                    "approval: {timeout: 10m}",
                ],
                expect: .requireApproval,
                verb: "waits for a person"
            ),
            Group(
                name: StarterPolicy.executeRule,
                categories: [.execute],
                lines: ["action: allow", "rate_limit: {max: \(StarterPolicy.executeLimit), window: 1m, per: agent}"],
                expect: .allow,
                verb: "runs under the execute limit"
            ),
            Group(
                name: StarterPolicy.writeRule,
                categories: [.write],
                lines: ["action: allow", "rate_limit: {max: \(StarterPolicy.writeLimit), window: 1m, per: agent}"],
                expect: .allow,
                verb: "runs under the write limit"
            ),
            Group(name: StarterPolicy.readRule, categories: [.read, .other], lines: ["action: allow"], expect: .allow, verb: "is allowed"),
        ]

        /// The rule's YAML, naming each tool exactly.
        func rule(_ names: [String]) -> String {
            var text = "  - name: \(name)\n    tool:\n"
            text += StarterPolicy.toolList(names, indent: "    ")
            for line in lines { text += "    \(line)\n" }
            return text + "\n"
        }
    }

    /// A commented-out argument check for each destination argument of each execute tool.
    static func stubs(for tools: [Tool]) -> String {
        let withDestinations = tools.filter { !$0.assessment.destinationArguments.isEmpty }
        guard !withDestinations.isEmpty else { return "" }
        var text = "  # Where execute tools send data: uncomment a check (and its test below), replace CHANGE-ME with the\n"
        text += "  # place calls may use, and run `warden test` again.\n"
        for tool in withDestinations {
            for stub in stubs(of: tool) {
                guard let path = stub.path else {
                    text += "  # \(commentText(tool.name)): argument \(quoted(stub.argument)) has no path spelling; check it under `args`\n"
                    continue
                }
                text += "  # - name: \(quoted(stubRuleName(tool: tool.name, argument: stub.argument)))\n"
                text += "  #   tool: \(quoted(exactPattern(tool.name)))\n"
                text += "  #   when:\n"
                text += "  #     \(pathKey(path)): \(stub.test)\n"
                text += "  #   action: deny\n"
                text += "  #   reason: \(quoted("\(stub.argument) must \(stub.requirement)"))\n"
            }
        }
        return text + "\n"
    }

    static func stubs(of tool: Tool) -> [Stub] {
        let schema = tool.definition?.inputSchema
        return tool.assessment.destinationArguments.map { argument in
            // Without a schema the argument's status is unknown; treating it as required errs on the strict side.
            let isRequired = schema == nil || Self.isRequired(argument, in: schema)
            return Stub(argument: argument, property: property(at: argument, in: schema), isRequired: isRequired)
        }
    }

    static func stubRuleName(tool: String, argument: String) -> String { "\(tool): \(argument) is pinned" }

    /// A path as a map key: plain when it is plain ASCII, quoted otherwise.
    static func pathKey(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_.-".unicodeScalars.contains($0))
        }
        return plain ? path : quoted(path)
    }

    // MARK: - Tests

    /// One generated test: a call to the first tool of a rule and the decision that rule gives it.
    struct TestCase {
        var group: Group
        var tool: Tool

        var yaml: String {
            let arguments = StarterPolicy.sampleArguments(for: tool.definition, destinations: tool.assessment.destinationArguments)
            var text = "  - name: \(StarterPolicy.quoted("\(tool.name) \(group.verb)"))\n"
            text += "    tool: \(StarterPolicy.quoted(tool.name))\n"
            text += "    args: \(StarterPolicy.flow(.object(arguments)))\n"
            text += "    expect: \(group.expect)\n"
            text += "    rule: \(group.name)\n\n"
            return text
        }
    }

    /// The test for a tool no rule names: the default decides it, and the global limit counts it.
    static func unlistedTest(names: Set<ScalarKey>, defaultAction: Action) -> String {
        var name = "unlisted_tool"
        var suffix = 2
        while names.contains(ScalarKey(name)) {
            name = "unlisted_tool_\(suffix)"
            suffix += 1
        }
        var text = "  - name: a tool the scan did not see gets the default\n"
        text += "    tool: \(quoted(name))\n"
        text += "    expect: \(defaultAction)\n"
        return text
    }

    /// The tests of the commented-out checks, commented out too: a call sending data elsewhere is denied.
    static func stubTests(for tools: [Tool]) -> String {
        var text = ""
        for tool in tools {
            for stub in stubs(of: tool) where stub.path != nil {
                var arguments = sampleArguments(for: tool.definition, destinations: tool.assessment.destinationArguments)
                set(&arguments, path: stub.argument, to: .string(stub.refused))
                text += "\n  # - name: \(quoted("\(tool.name): \(stub.argument) elsewhere is denied"))\n"
                text += "  #   tool: \(quoted(tool.name))\n"
                text += "  #   args: \(flow(.object(arguments)))\n"
                text += "  #   expect: deny\n"
                text += "  #   rule: \(quoted(stubRuleName(tool: tool.name, argument: stub.argument)))\n"
            }
        }
        return text
    }

    /// Sets the value at a dotted path, creating objects on the way.
    static func set(_ object: inout JSONObject, path: String, to value: JSONValue) {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            object[path] = value
            return
        }
        var inner = object[parts[0]]?.objectValue ?? JSONObject()
        set(&inner, path: parts[1], to: value)
        object[parts[0]] = .object(inner)
    }

    // MARK: - Header

    /// The comment block: what the policy is, and every tool with its category, severity and first evidence.
    static func header(assessments: [ToolAssessment], tools: [Tool], server: String?) -> String {
        var text = "# Starter policy\(server.map { " for \(commentText($0))" } ?? ""), written by `warden scan`.\n"
        text += "#\n"
        text += "# Every tool below has a rule: destructive and financial tools wait for a person, execute tools get\n"
        text += "# \(executeLimit) calls a minute per agent, write tools \(writeLimit), reads and others are allowed, every call\n"
        text += "# counts against \(globalLimit) a minute per agent, and `default` decides only tools the scan did not see.\n"
        text += "# Check it with `warden validate FILE` and `warden test FILE`, then pin destinations, tune limits, name approvers.\n"
        text += "#\n"
        guard !assessments.isEmpty else {
            return text + "# The server listed no tools: only the default and the global limit apply.\n\n"
        }
        let names = assessments.map { quoted($0.name) }
        let width = min(max(names.map(\.count).max() ?? 0, 4), 44)
        text += "# \(pad("tool", width))  \(pad("category", 11))  \(pad("severity", 8))  evidence\n"
        var seen: Set<ScalarKey> = []
        for (assessment, name) in zip(assessments, names) {
            let evidence = assessment.evidence.first.map(\.description) ?? "(no evidence: judged \(assessment.category))"
            var line = "# \(pad(name, width))  \(pad("\(assessment.category)", 11))  "
            line += "\(pad("\(assessment.severity)", 8))  \(commentText(evidence, limit: 90))"
            if !seen.insert(ScalarKey(assessment.name)).inserted {
                let kept = tools.first { ScalarKey.equal($0.name, assessment.name) }?.assessment.category ?? assessment.category
                line += " (listed again; the rules treat it as \(kept))"
            }
            text += line + "\n"
        }
        if assessments.contains(where: { Glob.isPattern($0.name) }) {
            text += "#\n# A name with *, ? or [ is written in `tool:` with that character in brackets (`[*]`), so it matches only itself.\n"
        }
        return text + "\n"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
