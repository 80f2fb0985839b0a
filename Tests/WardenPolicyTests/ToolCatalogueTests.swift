import Foundation
import Testing
import WardenJSON
import WardenPolicy

/// The classifier against real tools of public MCP servers, each labelled by hand by the README's rules.
@Suite("the labelled tool catalogue")
struct ToolCatalogueTests {
    struct LabelledTool {
        var server: String
        var definition: ToolDefinition
        var category: ToolCategory
        var severity: ToolSeverity
    }

    static func catalogue() throws -> [LabelledTool] {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { directory.deleteLastPathComponent() }
        directory.appendPathComponent("Fixtures/ToolCatalogue")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        var tools: [LabelledTool] = []
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let document = try JSONParser.parse(Array(data))
            let server = document["server"]?.stringValue ?? file
            for entry in document["tools"]?.arrayValue ?? [] {
                let definition = try #require(ToolDefinition(json: entry), "\(file): a tool without a name")
                let category = try #require(entry["category"]?.stringValue.flatMap(ToolCategory.init(name:)), "\(file): \(definition.name)")
                let severity = try #require(entry["severity"]?.stringValue.flatMap(ToolSeverity.init(name:)), "\(file): \(definition.name)")
                tools.append(LabelledTool(server: server, definition: definition, category: category, severity: severity))
            }
        }
        return tools
    }

    @Test("at least 400 real tools agree with their labels on 95 % or more, and the matrix is printed")
    func agreement() throws {
        let tools = try Self.catalogue()
        #expect(tools.count >= 400)
        var matrix: [ToolCategory: [ToolCategory: Int]] = [:]
        var agreeing = 0
        var severityAgreeing = 0
        var misses: [String] = []
        for tool in tools {
            let assessment = ToolClassifier.assess(tool.definition)
            matrix[tool.category, default: [:]][assessment.category, default: 0] += 1
            if assessment.category == tool.category { agreeing += 1 } else {
                let why = assessment.evidence.prefix(3).map(\.description).joined(separator: "; ")
                misses.append("\(tool.server) \(tool.definition.name): labelled \(tool.category), got \(assessment.category) (\(why))")
            }
            if assessment.severity == tool.severity { severityAgreeing += 1 }
        }
        let agreement = Double(agreeing) / Double(max(tools.count, 1))
        print(Self.report(matrix: matrix, total: tools.count, agreeing: agreeing, severityAgreeing: severityAgreeing))
        for miss in misses { print("  differs: \(miss)") }
        #expect(agreement >= 0.95, "category agreement \(agreeing)/\(tools.count)")
    }

    @Test("no tool labelled destructive or financial is rated below high")
    func neverBelowHigh() throws {
        for tool in try Self.catalogue() where tool.category == .destructive || tool.category == .financial {
            let assessment = ToolClassifier.assess(tool.definition)
            #expect(assessment.severity >= .high, "\(tool.server) \(tool.definition.name): \(assessment.category) \(assessment.severity)")
        }
    }

    @Test("no tool of the catalogue, all of them clean, raises a poisoning finding")
    func noFalsePoisoning() throws {
        for tool in try Self.catalogue() {
            let findings = PoisoningCheck.findings(in: tool.definition)
            #expect(findings.isEmpty, "\(tool.server) \(tool.definition.name): \(findings)")
        }
    }

    /// The confusion matrix as a Markdown table: rows are the labels, columns what the classifier said.
    static func report(matrix: [ToolCategory: [ToolCategory: Int]], total: Int, agreeing: Int, severityAgreeing: Int) -> String {
        var lines = ["category agreement: \(agreeing)/\(total); severity agreement: \(severityAgreeing)/\(total)", ""]
        lines.append("| labelled ↓ / classified → | " + ToolCategory.all.map(\.description).joined(separator: " | ") + " |")
        lines.append("|---|" + String(repeating: "---|", count: ToolCategory.all.count))
        for label in ToolCategory.all {
            let row = ToolCategory.all.map { String(matrix[label]?[$0] ?? 0) }
            lines.append("| \(label) | " + row.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
