/// Splits tool names and descriptions into lowercase words the classifier can look up.
enum ToolWords {
    /// The words of an identifier or a sentence: split at anything that is not a letter or digit, at camelCase humps
    /// and at the end of an acronym (`getURLData` is `get url data`), lowercased.
    static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current: [Character] = []
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(String(current).lowercased()) }
                current = []
                continue
            }
            if character.isUppercase, let previous = current.last {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let endsAcronym = previous.isUppercase && (next?.isLowercase ?? false)
                if previous.isLowercase || previous.isNumber || endsAcronym {
                    words.append(String(current).lowercased())
                    current = []
                }
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(String(current).lowercased()) }
        return words
    }

    /// The dictionary forms a word may stand for: itself, then without a plural or third-person `s`/`es`.
    static func forms(of word: String) -> [String] {
        var forms = [word]
        if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") {
            forms.append(String(word.dropLast()))
            if word.hasSuffix("es") { forms.append(String(word.dropLast(2))) }
            if word.hasSuffix("ies") { forms.append(String(word.dropLast(3)) + "y") }
        }
        return forms
    }
}
