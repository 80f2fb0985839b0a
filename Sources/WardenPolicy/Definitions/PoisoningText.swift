/// The character-level checks: hidden characters, fake-authority tags, secret files, encoded runs.
enum PoisoningText {
    /// Zero-width and joiner characters, bidi controls, the byte-order mark, the tag block, and escape.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x2060...0x2064, 0xFEFF, 0x202A...0x202E, 0x2066...0x2069, 0x061C, 0x180E, 0x00AD,
            0xE0000...0xE007F, 0x1B:
            true
        default:
            false
        }
    }

    static func hiddenCharacters(in text: String, field: String) -> [PoisoningFinding] {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: isHidden) else { return [] }
        let window = scalars[max(0, first - 20)..<min(scalars.count, first + 20)]
        let shown = window.map { isHidden($0) ? "U+\(String($0.value, radix: 16, uppercase: true))" : String($0) }.joined()
        let count = scalars.filter(isHidden).count
        return [PoisoningFinding(kind: .hiddenCharacters, field: field, span: "\(count) hidden: …\(shown)…")]
    }

    private static let tagWords: Set<String> = [
        "important", "system", "instruction", "instructions", "secret", "hidden", "admin", "assistant", "sys", "inst",
        "context", "prompt", "override", "critical", "note_to_ai", "ai", "model", "llm",
    ]

    /// `<IMPORTANT>`, `</system>`, `[INST]`, `<!-- … -->`.
    static func tags(in text: String, field: String) -> [PoisoningFinding] {
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let opener = characters[index]
            if opener == "<" || opener == "[" {
                let closer: Character = opener == "<" ? ">" : "]"
                var name = ""
                var cursor = index + 1
                if cursor < characters.count, characters[cursor] == "/" { cursor += 1 }
                if opener == "<", cursor + 2 < characters.count, characters[cursor] == "!", characters[cursor + 1] == "-" {
                    return [finding(.tag, field, characters, from: index)]
                }
                while cursor < characters.count, characters[cursor].isLetter || characters[cursor] == "_", name.count < 20 {
                    name.append(characters[cursor])
                    cursor += 1
                }
                let ends = cursor < characters.count && (characters[cursor] == closer || characters[cursor] == " ")
                if ends, tagWords.contains(name.lowercased()), opener == "<" || name == name.uppercased() {
                    return [finding(.tag, field, characters, from: index)]
                }
            }
            index += 1
        }
        return []
    }

    private static let secretMarkers = [
        "~/.ssh", ".ssh/", "id_rsa", "id_ed25519", "id_ecdsa", "/etc/passwd", "/etc/shadow", ".aws/credentials",
        ".netrc", ".npmrc", ".pgpass", ".docker/config.json", "mcp.json", ".cursor/", "private key", "private_key",
        "keychain", ".git-credentials", ".kube/config",
    ]

    static func secretReferences(in text: String, field: String) -> [PoisoningFinding] {
        let lower = text.lowercased()
        for marker in secretMarkers {
            if let range = lower.firstRange(of: marker) {
                return [finding(.secretReference, field, Array(lower), from: lower.distance(from: lower.startIndex, to: range.lowerBound))]
            }
        }
        // `.env` as a file name, not `process.env` or `.environment`.
        let characters = Array(lower)
        var index = 0
        while index + 4 <= characters.count {
            if characters[index] == ".", String(characters[index + 1..<index + 4]) == "env" {
                let before = index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber)
                let after = index + 4 == characters.count || !(characters[index + 4].isLetter || characters[index + 4] == "_")
                if before, after { return [finding(.secretReference, field, characters, from: index)] }
            }
            index += 1
        }
        return []
    }

    /// Base64-like runs of 64 characters or more with mixed case and digits, and any unbroken run of 200.
    static func encodedRuns(in text: String, field: String) -> [PoisoningFinding] {
        for token in text.split(whereSeparator: { $0.isWhitespace }) {
            if token.contains("://") { continue }
            let isBase64 = token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=_-".contains($0)) }
            let mixed = token.contains(where: \.isNumber) && token.contains(where: \.isUppercase) && token.contains(where: \.isLowercase)
            if (isBase64 && mixed && token.count >= 64) || token.count >= 200 {
                return [PoisoningFinding(kind: .encodedRun, field: field, span: "\(token.count) characters: \(token.prefix(40))…")]
            }
        }
        return []
    }

    static func finding(_ kind: PoisoningFinding.Kind, _ field: String, _ characters: [Character], from start: Int) -> PoisoningFinding {
        let text = String(characters[start..<min(characters.count, start + 120)])
        let line = text.prefix { !$0.isNewline }
        return PoisoningFinding(kind: kind, field: field, span: String(line))
    }
}
