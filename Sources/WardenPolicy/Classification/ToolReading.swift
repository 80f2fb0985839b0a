import WardenJSON

/// One tool being classified: what has been found so far. `ToolClassifier` drives it step by step.
struct ToolReading {
    let tool: ToolDefinition
    /// The words of the name, lowercased.
    let nameWords: [String]
    var category: ToolCategory = .other
    var severity: ToolSeverity = .low
    var evidence: [ToolEvidence] = []
    var schema = ToolSchemaReading(schema: nil, queryIsCode: false)
    /// The verb that decided the category, if a verb did.
    var verb: String?
    /// Whether the category came from the name (so the description may only make it more careful).
    var nameDecided = false

    init(tool: ToolDefinition) {
        self.tool = tool
        nameWords = ToolWords.split(tool.name)
    }

    /// Words of the name after the deciding verb: the object of the call (`delete_datastore` → `datastore`).
    var objectWords: [String] {
        guard let verb, let index = nameWords.firstIndex(of: verb) else {
            return nameWords
        }
        // A noun-first name (`label_write`) has its object before the verb.
        return index == nameWords.count - 1 && index > 0 ? Array(nameWords[..<index]) : Array(nameWords[(index + 1)...])
    }

    func nameHas(_ vocabulary: Set<String>) -> String? {
        nameWords.first { word in ToolWords.forms(of: word).contains(where: vocabulary.contains) }
    }

    func objectHas(_ vocabulary: Set<String>) -> String? {
        objectWords.first { word in ToolWords.forms(of: word).contains(where: vocabulary.contains) }
    }

    mutating func note(_ source: ToolEvidence.Source, _ text: String, _ meaning: String) {
        let finding = ToolEvidence(source: source, text: text, meaning: meaning)
        if !evidence.contains(finding) { evidence.append(finding) }
    }

    /// Raises the category to `candidate` when that is more dangerous than what was found so far.
    mutating func raise(to candidate: ToolCategory) {
        if Self.danger(candidate) > Self.danger(category) { category = candidate }
    }

    /// How careful a category asks Warden to be, for "take the more dangerous reading".
    static func danger(_ category: ToolCategory) -> Int {
        switch category {
        case .destructive: 5
        case .financial: 4
        case .execute: 3
        case .write: 2
        case .read: 1
        default: 0
        }
    }

    /// The first known verb among `words` and its category.
    static func firstVerb(in words: [String], inflected: Bool = true) -> (word: String, verb: String, category: ToolCategory)? {
        for word in words {
            for form in inflected ? ToolWords.forms(of: word) : [word] {
                if let category = ToolVocabulary.verbs[form] { return (word, form, category) }
            }
        }
        return nil
    }
}
