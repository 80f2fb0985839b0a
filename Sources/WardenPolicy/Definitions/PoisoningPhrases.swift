/// The word-level checks: orders aimed at the model, and instructions to send data somewhere.
enum PoisoningPhrases {
    /// One step of a phrase: any of these words, after at most `gap` other words.
    struct Step {
        var words: Set<String>
        var gap: Int

        init(_ words: Set<String>, gap: Int = 0) {
            self.words = words
            self.gap = gap
        }
    }

    private static let user: Set<String> = ["user", "users", "human", "operator", "person"]
    private static let orders: [[Step]] = [
        [
            Step(["ignore", "disregard", "forget", "override", "bypass"]),
            Step(["instructions", "instruction", "prompt", "prompts", "guidelines", "directions", "guardrails", "directives"], gap: 3),
        ],
        [
            Step(["do", "does", "never"]), Step(["not"], gap: 0),
            Step(["tell", "inform", "mention", "reveal", "notify", "alert", "show"]), Step(user, gap: 3),
        ],
        [Step(["never"]), Step(["tell", "inform", "mention", "reveal", "notify", "alert"]), Step(user, gap: 3)],
        [Step(["without"]), Step(["telling", "informing", "notifying", "alerting", "asking", "showing"]), Step(user, gap: 2)],
        [Step(["hide", "conceal"]), Step(["from"], gap: 4), Step(user, gap: 1)],
        [
            Step(["before", "prior"]), Step(["using", "calling", "invoking", "running", "executing"], gap: 1),
            Step(["tool"], gap: 2),
            Step(["read", "open", "cat", "access", "include", "pass", "send", "upload", "copy", "append"], gap: 5),
        ],
        [Step(["you", "assistant", "model", "ai", "llm"]), Step(["are", "is"]), Step(["now"])],
        [Step(["new", "updated", "secret", "hidden", "real", "true", "additional"]), Step(["instructions", "orders", "directives"])],
        [
            Step(["must", "always"]), Step(["send", "include", "pass", "read", "append", "copy", "attach", "forward"], gap: 1),
            Step(["conversation", "history", "chat", "credentials", "secrets", "password", "passwords", "tokens", "cookies", "keys"], gap: 4),
        ],
    ]

    private static let sendVerbs: Set<String> = [
        "send", "sends", "post", "posts", "upload", "uploads", "forward", "forwards", "transmit", "transmits",
        "exfiltrate", "leak", "submit", "beacon", "mirror",
    ]

    static func instructions(in text: String, field: String) -> [PoisoningFinding] {
        let words = words(in: text)
        for order in orders {
            if let range = match(order, in: words) {
                let span = words[range].map(\.text).joined(separator: " ")
                return [PoisoningFinding(kind: .instruction, field: field, span: span)]
            }
        }
        return []
    }

    /// A send verb at most eight words before a URL or an email address.
    static func exfiltration(in text: String, field: String) -> [PoisoningFinding] {
        let words = words(in: text)
        for (index, word) in words.enumerated() where word.isAddress {
            let start = max(0, index - 8)
            if let verb = words[start..<index].firstIndex(where: { sendVerbs.contains($0.text) }) {
                let span = words[verb...index].map(\.text).joined(separator: " ")
                return [PoisoningFinding(kind: .exfiltration, field: field, span: String(span.prefix(120)))]
            }
        }
        return []
    }

    struct Word {
        var text: String
        var isAddress: Bool
    }

    /// Lowercase words; `don't` becomes `do not`; URLs and email addresses stay whole and are marked.
    static func words(in text: String) -> [Word] {
        var words: [Word] = []
        for raw in text.split(whereSeparator: { $0.isWhitespace }) {
            let token = raw.lowercased()
            if token.contains("://") || (token.contains("@") && token.contains(".")) {
                words.append(Word(text: String(token.prefix(80)), isAddress: true))
                continue
            }
            var current = ""
            for character in token + " " {
                if character.isLetter || character.isNumber || character == "'" || character == "’" {
                    current.append(character == "’" ? "'" : character)
                } else if !current.isEmpty {
                    words += expand(current).map { Word(text: $0, isAddress: false) }
                    current = ""
                }
            }
        }
        return words
    }

    private static func expand(_ word: String) -> [String] {
        if word.hasSuffix("n't") {
            let stem = String(word.dropLast(3))
            return [stem == "won" ? "will" : stem == "can" ? "can" : stem, "not"]
        }
        if word == "dont" { return ["do", "not"] }
        return [word.replacingApostrophes()]
    }

    private static func match(_ steps: [Step], in words: [Word]) -> Range<Int>? {
        guard let first = steps.first else { return nil }
        for start in words.indices where first.words.contains(words[start].text) {
            var position = start
            var matched = true
            for step in steps.dropFirst() {
                let window = (position + 1)..<min(words.count, position + 2 + step.gap)
                guard let next = window.first(where: { step.words.contains(words[$0].text) }) else {
                    matched = false
                    break
                }
                position = next
            }
            if matched { return start..<(position + 1) }
        }
        return nil
    }
}

extension String {
    fileprivate func replacingApostrophes() -> String { filter { $0 != "'" } }
}
