/// Guesses a tool's category from the words in its name.
///
/// The heuristic is deliberately simple so a person can predict it: the name is split into words (at `_`, `-`, `.`,
/// `/`, spaces and camelCase humps, lowercased, a trailing `s` ignored) and the first group with a matching word wins,
/// checked from the most dangerous down:
///
/// | category      | words                                                                               |
/// |---------------|-------------------------------------------------------------------------------------|
/// | `destructive` | delete drop remove destroy purge truncate wipe erase                                |
/// | `financial`   | charge pay payment transfer refund payout invoice                                   |
/// | `execute`     | exec execute run shell eval start launch spawn                                      |
/// | `write`       | create write update put set insert upload send export add edit modify patch post    |
/// | `read`        | get list read search describe fetch query show find view                            |
///
/// Anything else is `other`. The description comes from the server, which Warden does not trust, so it is read
/// only when the name says nothing, and only to make Warden more careful (destructive or financial words).
/// A policy's top-level `categories:` map overrides the guess for any tool.
public enum ToolClassifier {
    private static let groups: [(ToolCategory, Set<String>)] = [
        (.destructive, ["delete", "drop", "remove", "destroy", "purge", "truncate", "wipe", "erase"]),
        (.financial, ["charge", "pay", "payment", "transfer", "refund", "payout", "invoice"]),
        (.execute, ["exec", "execute", "run", "shell", "eval", "start", "launch", "spawn"]),
        (
            .write,
            ["create", "write", "update", "put", "set", "insert", "upload", "send", "export", "add", "edit", "modify", "patch", "post"]
        ),
        (.read, ["get", "list", "read", "search", "describe", "fetch", "query", "show", "find", "view"]),
    ]

    /// The category, severity and evidence of one tool, from its name, description, input schema and annotations.
    public static func assess(_ tool: ToolDefinition) -> ToolAssessment {
        let category = classify(name: tool.name, description: tool.description)
        let severity: ToolSeverity =
            switch category {
            case .destructive, .financial: .high
            case .execute, .write: .medium
            default: .low
            }
        return ToolAssessment(
            name: tool.name, category: category, severity: severity, evidence: [], description: tool.description,
            destinationArguments: [])
    }

    /// The category of a tool called `name`, consulting `description` only when the name is inconclusive.
    public static func classify(name: String, description: String?) -> ToolCategory {
        let category = categoryOf(words: words(in: name), among: groups)
        guard category == .other, let description else { return category }
        return categoryOf(words: words(in: description), among: Array(groups.prefix(2)))
    }

    /// Splits an identifier or sentence into lowercase words.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in text {
            if character.isLetter || character.isNumber {
                if character.isUppercase, previousWasLower, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(contentsOf: character.lowercased())
                previousWasLower = character.isLowercase || character.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private static func categoryOf(words: [String], among groups: [(ToolCategory, Set<String>)]) -> ToolCategory {
        for (category, vocabulary) in groups {
            for word in words {
                if vocabulary.contains(word) { return category }
                if word.count > 3, word.hasSuffix("s"), vocabulary.contains(String(word.dropLast())) { return category }
            }
        }
        return .other
    }
}
