import WardenJSON

/// Gives a tool a category and a severity from its name, description, input schema and annotations, with evidence.
///
/// The rules are the ones the README states for labelling tools by hand, kept simple enough to predict:
/// - **Name first.** The name is split into words (`_`, `-`, `.`, `/`, spaces, camelCase and acronym humps) and
///   its verb decides: the first verb that is not also a common noun (`gitlab_get_tag` is read, `label_write`
///   write), and `list_deleted_items` is read (`deleted` is not a verb). A few pairs refine it: a change on a money
///   noun is financial (`create_refund`); `start` or `run` of anything but a resource is execute
///   (`start_dicom_export_job`) while `start_instance` is write; running a query in a language that only reads
///   (PromQL, LogQL) is read; stopping a job cancels it (destructive); removing a tag, a label or a member from a
///   group is write, removing a shared link revokes access (destructive); an `api_request` tool is execute. A name
///   with no verb is judged by its nouns (`sql` is execute, `git_status` read), then by the description's verb.
///   A tool whose `operation` argument lists its choices is as dangerous as its worst choice when its name is
///   generic (`manage_index`), and destructive whenever one choice destroys.
/// - **The schema** can only make it more dangerous: an argument the server runs as code (`command`, `script`,
///   `sql`) makes it execute; `amount`/`currency` on a change makes it financial; destinations (`*_uri`, `url`,
///   `destination`, recipients) and amplifiers (`force`, `recursive`) are evidence and raise the severity.
/// - **The description** is the server's word: it is read when the name says nothing, and to make Warden more
///   careful (a write whose description says it deletes, or runs SQL), never less.
/// - **Annotations** are hints from an untrusted server: `destructiveHint: true` and `openWorldHint: true` raise
///   the severity (and turn a read into destructive); `readOnlyHint: true` is reported and never lowers anything.
///
/// A destructive or financial tool is never rated below high. A policy's `categories:` map overrides the category.
public enum ToolClassifier {
    /// The category, severity and evidence of one tool.
    public static func assess(_ tool: ToolDefinition, override: ToolCategory? = nil) -> ToolAssessment {
        var reading = ToolReading(tool: tool)
        reading.readName()
        reading.readDescription()
        reading.readSchema()
        reading.readAnnotations()
        if let override {
            reading.category = override
            reading.evidence.insert(ToolEvidence(source: .policy, text: "categories", meaning: "set to \(override)"), at: 0)
        }
        reading.rateSeverity()
        return ToolAssessment(
            name: tool.name, category: reading.category, severity: reading.severity, evidence: reading.evidence,
            description: tool.description, destinationArguments: reading.schema.destinations)
    }

    /// The category of a tool called `name` with this description; see `assess(_:override:)`.
    public static func classify(name: String, description: String?) -> ToolCategory {
        assess(ToolDefinition(name: name, description: description)).category
    }

    /// Splits an identifier or sentence into lowercase words.
    static func words(in text: String) -> [String] { ToolWords.split(text) }
}
