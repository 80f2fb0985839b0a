extension ToolReading {
    private static let destructiveStatements: Set<String> = [
        "delete", "deletes", "destroy", "destroys", "purge", "purges", "wipe", "wipes", "erase", "erases",
        "terminate", "terminates", "truncate", "truncates", "revoke", "revokes",
    ]
    private static let permanence: [[String]] = [["cannot", "be", "undone"], ["irreversible"], ["irreversibly"], ["permanently"]]
    private static let runVerbs: Set<String> = ["execute", "executes", "run", "runs", "evaluate", "evaluates"]
    private static let codeObjects: Set<String> = [
        "sql", "shell", "command", "commands", "script", "scripts", "code", "javascript", "query", "queries",
        "statement", "statements", "python", "bash",
    ]
    private static let moneyStatements: [[String]] = [
        ["charge"], ["charges"], ["refund"], ["refunds"], ["transfer", "funds"], ["transfers", "funds"],
        ["transfer", "money"], ["send", "money"], ["sends", "money"], ["payout"], ["process", "payment"],
        ["processes", "payment"], ["processes", "a", "payment"], ["make", "a", "payment"], ["pay", "an", "invoice"],
    ]

    /// Reads the first sentence of the description: for the category when the name said nothing, and otherwise
    /// only to be more careful (deletes, moves money, runs code).
    mutating func readDescription() {
        let text = tool.description ?? ""
        guard !text.allSatisfy(\.isWhitespace) else {
            note(.description, "(none)", "no description: judged on name and schema")
            return
        }
        let sentence = Self.firstSentence(text)
        let words = ToolWords.split(sentence)
        if !nameDecided, let found = Self.firstVerb(in: Self.withoutNouns(words)) {
            verb = verb ?? found.verb
            category = found.category
            note(.description, found.word, Self.meaning(of: found.category))
        }
        let keywords = Self.upperCaseWords(sentence)
        let mainVerb = Self.firstVerb(in: Self.withoutNouns(words))?.word
        let removesLink = evidence.contains { $0.meaning == Self.removesLink }
        if category != .read, category != .destructive, let word = mainVerb, !removesLink || word.hasPrefix("revoke"),
            Self.destructiveStatements.contains(word), !keywords.contains(word)
        {
            raise(to: .destructive)
            note(.description, word, "says it deletes or destroys")
        }
        if let phrase = Self.find(Self.permanence, in: words) {
            note(.description, phrase, "cannot be undone")
        }
        if let phrase = Self.find(Self.moneyStatements, in: words), category != .read, category != .destructive {
            raise(to: .financial)
            note(.description, phrase, "says it moves money")
        }
        if let index = words.firstIndex(where: Self.runVerbs.contains),
            let object = words[(index + 1)...].prefix(4).first(where: { word in
                Self.codeObjects.contains(word) && (!["query", "queries"].contains(word) || words.contains("sql"))
            })
        {
            raise(to: .execute)
            note(.description, "\(words[index]) … \(object)", "runs code or a query")
        }
    }

    /// Words written in capitals (`DELETE` in "runs an INSERT or DELETE query"): SQL keywords, not what the tool does.
    static func upperCaseWords(_ text: String) -> Set<String> {
        Set(text.split(whereSeparator: { !$0.isLetter }).filter { $0.count > 1 && $0.allSatisfy(\.isUppercase) }.map { $0.lowercased() })
    }

    /// Words that make the word after them a noun (`the list`, `a charge`).
    private static let determiners: Set<String> = [
        "the", "a", "an", "this", "that", "these", "those", "your", "my", "its", "their", "each", "every", "all", "some",
        "any", "of", "for", "in", "on", "with", "by", "from", "and", "or", "as", "at",
    ]

    /// `words` without those that follow a determiner or preposition, so a verb search does not stop on a noun.
    static func withoutNouns(_ words: [String]) -> [String] {
        words.enumerated().compactMap { index, word in
            index > 0 && determiners.contains(words[index - 1]) ? nil : word
        }
    }

    /// The text up to the first sentence end (`. `, a line break) or the first 300 characters.
    static func firstSentence(_ raw: String) -> String {
        var sentence = ""
        var previous: Character = " "
        for character in raw.drop(while: \.isWhitespace).prefix(300) {
            if character.isNewline || (previous == "." && character == " ") { break }
            sentence.append(character)
            previous = character
        }
        return sentence
    }

    static func find(_ phrases: [[String]], in words: [String]) -> String? {
        for phrase in phrases where words.count >= phrase.count {
            for start in 0...(words.count - phrase.count) where Array(words[start..<(start + phrase.count)]) == phrase {
                return phrase.joined(separator: " ")
            }
        }
        return nil
    }
}
