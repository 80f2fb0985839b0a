import Foundation
import Testing
import WardenJSON
import WardenPolicy
import WardenTesting

@testable import warden

/// Starter policies for real tool lists, checked by the loader, by their own tests, and by the `warden` executable.
@Suite("Starter policies for real servers")
struct StarterPolicyServerTests {
    typealias Checks = StarterPolicyChecks

    /// Every tool the demo server lists, read from `warden demo-server` over stdio, following every page.
    static func demoServerTools() throws -> [ToolDefinition] {
        let process = try RunningProcess([WardenExecutable.path, "demo-server", "--page-size", "3"])
        _ = try process.request(
            id: 1,
            method: "initialize",
            params: ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "starter-test", "version": "1"]]
        )
        _ = process.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        var tools: [JSONValue] = []
        var cursor: JSONValue?
        var id = 2
        repeat {
            let params: JSONValue = cursor.map { ["cursor": $0] } ?? [:]
            let answer = try process.request(id: id, method: "tools/list", params: params)
            tools += answer["result"]?["tools"]?.arrayValue ?? []
            cursor = answer["result"]?["nextCursor"]
            id += 1
        } while cursor != nil && cursor != .null
        process.closeInput()
        _ = try process.waitForExit()
        return tools.compactMap(ToolDefinition.init(json:))
    }

    /// The `tools/list` of awslabs.healthimaging-mcp-server 0.1.1, as it sent it.
    static func healthImagingTools() throws -> [ToolDefinition] {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { directory.deleteLastPathComponent() }
        let data = try Data(contentsOf: directory.appendingPathComponent("Fixtures/healthimaging-tools.json"))
        let json = try JSONParser.parse(String(decoding: data, as: UTF8.self))
        return (json["tools"]?.arrayValue ?? []).compactMap(ToolDefinition.init(json:))
    }

    /// Names a YAML writer or a glob reader could get wrong, each with the category it is given.
    static let awkward: [(String, ToolCategory)] = [
        ("*", .destructive), ("?", .write), ("a[b]", .execute), ("[", .read), ("delete_*", .destructive), ("x:y", .write),
        ("with space", .read), ("-leading-dash", .write), ("#hash", .read), ("quote\"d", .financial), ("back\\slash", .read),
        ("new\nline", .write), ("tab\there", .read), ("null", .read), ("true", .write), ("123", .read), ("", .read),
        ("line\u{2028}sep", .read), ("nel\u{85}", .write), ("bell\u{7}", .read), ("🎉 party", .read), ("cafe\u{301}", .write),
        ("café", .read), ("{braces}", .read), ("a,b", .execute), ("&anchor", .read), ("*alias", .write), ("!tag", .read),
        ("%percent", .read), ("@at", .read), ("`tick`", .read), ("'single'", .read), ("key: value", .read), ("- item", .write),
        ("get_record", .read), ("delete_record", .destructive), ("a]b", .read), ("[!x]", .write), ("a-z", .read),
    ]

    static func awkwardTools() -> [ToolDefinition] {
        awkward.map { name, _ in
            ToolDefinition(
                name: name,
                description: "A tool.",
                inputSchema: ["type": "object", "properties": ["na:me": ["type": "string"], "n": ["type": "integer"]], "required": ["na:me", "n"]]
            )
        }
    }

    @Test("the demo server's tools, as the classifier reads them, give a policy that validates and passes its tests", arguments: Checks.defaults)
    func demoServer(defaultAction: Action) throws {
        let definitions = try Self.demoServerTools()
        #expect(definitions.count == 8)
        let assessments = definitions.map { ToolClassifier.assess($0) }
        let yaml = StarterPolicy.write(assessments: assessments, definitions: definitions, default: defaultAction, server: "demo")
        let policy = try Checks.load(yaml)
        Checks.expectTestsPass(policy)
        Checks.expectDecisions(policy, assessments, default: defaultAction)
        #expect(Checks.decide(policy, "delete_record").action == .requireApproval)
        #expect(Checks.decide(policy, "create_charge").action == .requireApproval)
        #expect(Checks.decide(policy, "read_record").action == .allow)
        try Checks.expectExecutableAccepts(yaml)
    }

    @Test("the HealthImaging server's 39 tools give a policy that validates and passes its tests", arguments: Checks.defaults)
    func healthImaging(defaultAction: Action) throws {
        let definitions = try Self.healthImagingTools()
        #expect(definitions.count == 39)
        let assessments = definitions.map { ToolClassifier.assess($0) }
        let yaml = StarterPolicy.write(
            assessments: assessments,
            definitions: definitions,
            default: defaultAction,
            server: "awslabs.healthimaging-mcp-server"
        )
        let policy = try Checks.load(yaml)
        Checks.expectTestsPass(policy)
        Checks.expectDecisions(policy, assessments, default: defaultAction)
        #expect(Checks.decide(policy, "delete_datastore").action == .requireApproval)
        #expect(Checks.decide(policy, "start_dicom_export_job").rule == StarterPolicy.executeRule)
        #expect(yaml.contains(#"#   tool: "start_dicom_export_job""#))
        #expect(yaml.contains(#"#     args.output_s3_uri: {not_starts_with: "s3://CHANGE-ME/"}"#))
        #expect(try Checks.admittedCalls(policy, tool: "start_dicom_export_job", count: 11) == 10)
        try Checks.expectExecutableAccepts(yaml)
    }

    @Test("HealthImaging tools with categories given by hand: the export's stub pins its S3 destination and its test fills the schema")
    func healthImagingByHand() throws {
        let definitions = try Self.healthImagingTools()
        let assessments = definitions.map { tool in
            let name = tool.name
            let category: ToolCategory =
                name.hasPrefix("delete_") || name.hasPrefix("bulk_delete")
                ? .destructive
                : name.hasPrefix("start_")
                    ? .execute
                    : ["get_", "list_", "search_"].contains(where: name.hasPrefix) ? .read : .write
            let destinations =
                name.hasPrefix("start_") ? ["input_s3_uri", "output_s3_uri"].filter { tool.inputSchema?["properties"]?[$0] != nil } : []
            return Checks.assessment(name, category, category == .read ? .low : .high, destinations: destinations)
        }
        let yaml = StarterPolicy.write(assessments: assessments, definitions: definitions, default: .deny, server: "healthimaging")
        let policy = try Checks.load(yaml)
        Checks.expectTestsPass(policy)
        Checks.expectDecisions(policy, assessments, default: .deny)
        #expect(yaml.contains(#"#     args.output_s3_uri: {not_starts_with: "s3://CHANGE-ME/"}"#))
        // The import job's output location is optional: its check fires only when the call gives one.
        #expect(yaml.contains(#"#     args.output_s3_uri: {exists: true, not_starts_with: "s3://CHANGE-ME/"}"#))
        let export = try #require(policy.tests.first { $0.tool == "start_dicom_import_job" })
        #expect(export.arguments["datastore_id"] == "example")
        #expect(export.arguments["data_access_role_arn"] == "example")
        #expect(export.arguments["input_s3_uri"] == "s3://CHANGE-ME/example")
        #expect(export.rule == StarterPolicy.executeRule)
        try Checks.expectExecutableAccepts(yaml)
    }

    @Test("awkward tool names are quoted so each reads back as itself and matches only itself", arguments: Checks.defaults)
    func awkwardNames(defaultAction: Action) throws {
        let assessments = Self.awkward.map { Checks.assessment($0.0, $0.1) }
        let yaml = StarterPolicy.write(assessments: assessments, definitions: Self.awkwardTools(), default: defaultAction, server: "odd: \"server\"")
        let policy = try Checks.load(yaml)
        Checks.expectTestsPass(policy)
        Checks.expectDecisions(policy, assessments, default: defaultAction)
        // A rule for `*` or `delete_*` must not catch other tools: each name's decision is its own category's.
        #expect(Checks.decide(policy, "delete_anything").rule == nil)
        #expect(Checks.decide(policy, "x").rule == nil)
        #expect(Checks.decide(policy, "ab]").rule == nil)
        let names = Self.awkward.map(\.0)
        for pattern in policy.rules.flatMap({ $0.tools ?? [] }) {
            let matched = names.filter { NameMatcher([pattern]).matches($0) }
            #expect(matched.count == 1, "pattern \(pattern) matches \(matched)")
        }
        #expect(yaml.contains(#"  - "[*]""#))
        #expect(yaml.contains(#"  - "a[[]b]""#))
        // The comment block stays a comment: every line of it starts with `#`.
        let header = yaml.split(separator: "\n").prefix { !$0.hasPrefix("version:") }
        #expect(header.allSatisfy { $0.hasPrefix("#") })
        try Checks.expectExecutableAccepts(yaml)
    }

    @Test("awkward names read by the classifier still give a policy that loads and passes")
    func awkwardNamesClassified() throws {
        let definitions = Self.awkwardTools()
        let assessments = definitions.map { ToolClassifier.assess($0) }
        for defaultAction in Checks.defaults {
            let yaml = StarterPolicy.write(assessments: assessments, definitions: definitions, default: defaultAction, server: nil)
            let policy = try Checks.load(yaml)
            Checks.expectTestsPass(policy)
        }
    }
}
