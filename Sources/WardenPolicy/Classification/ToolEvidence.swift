/// One reason the classifier gave a tool its category or severity: where it looked, what it found, what that means.
public struct ToolEvidence: Sendable, Hashable, CustomStringConvertible {
    /// Where the evidence was found.
    public enum Source: String, Sendable, Hashable {
        /// A word of the tool's name.
        case name
        /// A phrase of the tool's description (or title).
        case description
        /// An argument's name in the input schema.
        case argument
        /// A feature of the input schema other than a name.
        case schema
        /// One of the server's annotations (`readOnlyHint`, `destructiveHint`, …): a hint, never trusted alone.
        case annotation
        /// The policy's `categories:` map.
        case policy
    }

    public var source: Source
    /// What was found, as it appears: a word, a phrase, an argument name, an annotation.
    public var text: String
    /// What it means for the tool, in a few words ("deletes data", "data leaves", "moves money").
    public var meaning: String

    public init(source: Source, text: String, meaning: String) {
        self.source = source
        self.text = text
        self.meaning = meaning
    }

    /// `name "delete": deletes data`.
    public var description: String { "\(source.rawValue) \"\(text)\": \(meaning)" }
}
