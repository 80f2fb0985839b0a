import WardenPolicy

/// One server's tools as it listed them, and what the classifier made of each: what every output is built from.
struct ScannedServer: Sendable {
    /// The server's name in a gateway config; nil for a target given on the command line.
    var name: String?
    /// The tools, in the server's order.
    var definitions: [ToolDefinition]
    /// One assessment per tool, in the same order.
    var assessments: [ToolAssessment]
    /// What looks aimed at the model in each tool's definition, by tool name: what `poisoning: hide` hides at run time.
    var poisoning: [String: [PoisoningFinding]]

    /// Assesses every tool; a `categories:` entry of `policy` overrides the classifier's category for its tool.
    init(name: String?, definitions: [ToolDefinition], policy: Policy? = nil) {
        self.name = name
        self.definitions = definitions
        assessments = definitions.map { ToolClassifier.assess($0, override: policy?.categoryOverride(for: $0.name)) }
        var poisoning: [String: [PoisoningFinding]] = [:]
        for definition in definitions {
            let findings = PoisoningCheck.findings(in: definition)
            if !findings.isEmpty { poisoning[definition.name, default: []] += findings }
        }
        self.poisoning = poisoning
    }
}
