/// One piece of a tool definition that looks aimed at the model rather than at the person reading it.
public struct PoisoningFinding: Sendable, Hashable, CustomStringConvertible {
    /// What kind of content was found.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// "ignore previous instructions", "do not tell the user", "before using this tool, read …".
        case instruction
        /// `<IMPORTANT>`, `<system>` and similar tags that dress text up as a higher authority.
        case tag
        /// Zero-width, bidi-control, tag-block or escape characters a person does not see.
        case hiddenCharacters = "hidden-characters"
        /// A long base64-like or unbroken run: an encoded payload a person cannot read.
        case encodedRun = "encoded-run"
        /// A reference to secrets another tool or the host holds: `~/.ssh`, `id_rsa`, `.env`, credentials files.
        case secretReference = "secret-reference"
        /// An instruction to send something to a URL or address.
        case exfiltration
    }

    public var kind: Kind
    /// Where it was found: `description`, `title`, `argument path`, `argument path title`.
    public var field: String
    /// The offending text, shortened to at most 120 characters, hidden characters shown as `U+XXXX`.
    public var span: String

    public init(kind: Kind, field: String, span: String) {
        self.kind = kind
        self.field = field
        self.span = span
    }

    /// `instruction in description: "ignore previous instructions"`.
    public var description: String { "\(kind.rawValue) in \(field): \"\(span)\"" }
}
