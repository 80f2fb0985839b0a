/// What the classifier concluded about one tool, with the evidence a person can check.
public struct ToolAssessment: Sendable, Hashable {
    public var name: String
    public var category: ToolCategory
    public var severity: ToolSeverity
    /// Every finding, the deciding ones first.
    public var evidence: [ToolEvidence]
    /// The description as the server sent it; nil or empty is reported as such.
    public var description: String?
    /// Arguments whose values name where data goes or comes from (`*_uri`, `destination`, `url`, …), in schema
    /// order: the ones a starter policy puts argument checks on.
    public var destinationArguments: [String]

    public init(
        name: String, category: ToolCategory, severity: ToolSeverity, evidence: [ToolEvidence], description: String?,
        destinationArguments: [String]
    ) {
        self.name = name
        self.category = category
        self.severity = severity
        self.evidence = evidence
        self.description = description
        self.destinationArguments = destinationArguments
    }
}
