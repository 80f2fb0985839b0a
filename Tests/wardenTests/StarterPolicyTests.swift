import Foundation
import Testing
import WardenJSON
import WardenPolicy

@testable import warden

/// Starter policies from assessments built by hand, so they test the writer and not the classifier's guesses.
@Suite("Starter policies from given categories")
struct StarterPolicyTests {
    typealias Checks = StarterPolicyChecks

    static let mixed: [ToolAssessment] = [
        Checks.assessment("get_record", .read, .low),
        Checks.assessment("put_record", .write),
        Checks.assessment("drop_table", .destructive, .critical),
        Checks.assessment("create_refund", .financial, .high),
        Checks.assessment("run_report_job", .execute, .high, destinations: ["output_s3_uri", "callback_url"]),
        Checks.assessment("think", .other, .low, evidence: []),
        Checks.assessment("purge_queue", .destructive, .high),
        Checks.assessment("send_invoice", .financial, .high),
        Checks.assessment("start_build", .execute, .high),
    ]

    @Test("destructive and financial tools wait for a person; execute, write and read tools are allowed by their rules", arguments: Checks.defaults)
    func actionsFollowCategories(defaultAction: Action) throws {
        let yaml = StarterPolicy.write(assessments: Self.mixed, definitions: [], default: defaultAction, server: "mixed")
        let policy = try Checks.load(yaml)
        #expect(policy.defaultAction == defaultAction)
        Checks.expectTestsPass(policy)
        Checks.expectDecisions(policy, Self.mixed, default: defaultAction)
        let approval = Checks.decide(policy, "drop_table")
        #expect(approval.approval?.timeout == .seconds(600))
        // One test per rule, and one for a tool the scan did not see.
        #expect(policy.tests.count == policy.rules.count)
        #expect(policy.tests.last?.expect.action == defaultAction)
    }

    @Test("the eleventh execute call of an agent within a minute is refused, the thirty-first write, the 121st of any", arguments: Checks.defaults)
    func limitsHold(defaultAction: Action) throws {
        let policy = try Checks.load(StarterPolicy.write(assessments: Self.mixed, definitions: [], default: defaultAction, server: nil))
        #expect(try Checks.admittedCalls(policy, tool: "start_build", count: 11) == 10)
        #expect(try Checks.admittedCalls(policy, tool: "put_record", count: 31) == 30)
        #expect(try Checks.admittedCalls(policy, tool: "get_record", count: 121) == 120)
        let unseen = try Checks.admittedCalls(policy, tool: "a_tool_nobody_listed", count: 121)
        #expect(unseen == (defaultAction == .allow ? 120 : 0))
    }

    @Test("every execute tool's destination argument gets a commented-out check with a placeholder that fits it")
    func destinationStubs() throws {
        let yaml = StarterPolicy.write(assessments: Self.mixed, definitions: [], default: .allow, server: nil)
        #expect(yaml.contains(#"#     args.output_s3_uri: {not_starts_with: "s3://CHANGE-ME/"}"#))
        #expect(yaml.contains(#"#     args.callback_url: {not_starts_with: "https://CHANGE-ME.example/"}"#))
        #expect(yaml.contains(#"#   tool: "run_report_job""#))
        // Uncommented, the checks load and the generated tests still pass; their own tests deny a call elsewhere.
        let uncommented = yaml.replacingOccurrences(of: "  # - ", with: "  - ").replacingOccurrences(of: "  #   ", with: "    ")
        let policy = try Checks.load(uncommented)
        Checks.expectTestsPass(policy)
        #expect(policy.rules.contains { $0.name == "run_report_job: output_s3_uri is pinned" })
        #expect(policy.tests.filter { $0.expect == .deny }.count == 2)
    }

    @Test("the comment block lists every tool in the server's order with category, severity and first evidence")
    func commentBlock() throws {
        let yaml = StarterPolicy.write(assessments: Self.mixed, definitions: [], default: .allow, server: "mixed")
        let lines = yaml.split(separator: "\n").map(String.init)
        let listed = Self.mixed.map { tool in lines.firstIndex { $0.hasPrefix("# \"\(tool.name)\"") } }
        #expect(listed.allSatisfy { $0 != nil })
        #expect(listed.compactMap { $0 } == listed.compactMap { $0 }.sorted())
        let drop = try #require(lines.first { $0.hasPrefix("# \"drop_table\"") })
        #expect(drop.contains("destructive") && drop.contains("critical") && drop.contains(#"name "drop_table": constructed as destructive"#))
        let think = try #require(lines.first { $0.hasPrefix("# \"think\"") })
        #expect(think.contains("(no evidence: judged other)"))
        #expect(yaml.hasPrefix("# Starter policy for mixed"))
    }

    @Test("no tools: the policy has the global limit and the default, and its one test passes", arguments: Checks.defaults)
    func noTools(defaultAction: Action) throws {
        let yaml = StarterPolicy.write(assessments: [], definitions: [], default: defaultAction, server: "empty")
        let policy = try Checks.load(yaml)
        #expect(policy.rules.map(\.name) == [StarterPolicy.globalRule])
        #expect(policy.tests.count == 1)
        Checks.expectTestsPass(policy)
        #expect(yaml.contains("listed no tools"))
    }

    @Test("only read tools: one allow rule and the global limit; with deny the reads still pass", arguments: Checks.defaults)
    func onlyReads(defaultAction: Action) throws {
        let reads = [Checks.assessment("list_things", .read, .low), Checks.assessment("get_thing", .read, .medium)]
        let policy = try Checks.load(StarterPolicy.write(assessments: reads, definitions: [], default: defaultAction, server: nil))
        #expect(policy.rules.map(\.name) == [StarterPolicy.readRule, StarterPolicy.globalRule])
        Checks.expectTestsPass(policy)
        Checks.expectDecisions(policy, reads, default: defaultAction)
    }

    @Test("a name the server lists twice is commented twice and ruled once, by its more dangerous reading", arguments: Checks.defaults)
    func repeatedName(defaultAction: Action) throws {
        let tools = [
            Checks.assessment("sync", .read, .low), Checks.assessment("get_a", .read, .low), Checks.assessment("sync", .destructive, .high),
        ]
        let yaml = StarterPolicy.write(assessments: tools, definitions: [], default: defaultAction, server: nil)
        let policy = try Checks.load(yaml)
        Checks.expectTestsPass(policy)
        #expect(yaml.components(separatedBy: "\n# \"sync\"").count - 1 == 2)
        #expect(yaml.contains("(listed again; the rules treat it as destructive)"))
        #expect(policy.rules.filter { $0.tools?.contains("sync") == true }.count == 1)
        #expect(Checks.decide(policy, "sync").action == .requireApproval)
        #expect(Checks.decide(policy, "get_a").rule == StarterPolicy.readRule)
    }

    @Test("the tests' arguments fill the schema's required properties with placeholders of their types")
    func sampleArguments() throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "name": ["type": "string"], "count": ["type": "integer", "minimum": 3], "ratio": ["type": "number"],
                "on": ["type": "boolean"], "items": ["type": "array"], "mode": ["enum": ["fast", "slow"]],
                "maybe": ["anyOf": [["type": "null"], ["type": "string", "format": "email"]]],
                "nested": ["type": "object", "properties": ["deep": ["$ref": "#/$defs/Deep"]], "required": ["deep"]],
                "optional": ["type": "string"], "output_s3_uri": ["type": "string"],
            ],
            "required": ["name", "count", "ratio", "on", "items", "mode", "maybe", "nested", "output_s3_uri"],
            "$defs": ["Deep": ["type": "string", "const": "fixed"]],
        ]
        let definition = ToolDefinition(name: "t", inputSchema: schema)
        let arguments = StarterPolicy.sampleArguments(for: definition, destinations: ["output_s3_uri"])
        let expected: JSONObject = [
            "name": "example", "count": 3, "ratio": 1, "on": false, "items": [], "mode": "fast", "maybe": "user@example.com",
            "nested": ["deep": "fixed"], "output_s3_uri": "s3://CHANGE-ME/example",
        ]
        #expect(arguments == expected)
    }

    @Test("a schema that refers to itself or asks for a number beyond any integer still gives arguments, without a crash")
    func hostileSchemas() {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "loop": ["$ref": "#/$defs/Loop"], "big": ["type": "integer", "minimum": 1e300], "itself": ["$ref": "#"],
            ],
            "required": ["loop", "big", "itself"],
            "$defs": ["Loop": ["anyOf": [["$ref": "#/$defs/Loop"]]]],
        ]
        let arguments = StarterPolicy.sampleArguments(for: ToolDefinition(name: "t", inputSchema: schema), destinations: [])
        #expect(arguments["big"] == 1)
        #expect(arguments["loop"] != nil)
        #expect(arguments["itself"]?.objectValue != nil)
    }
}
