/// Replaces what looks like a credential inside a string with `[redacted]`, for `audit: {args: redact}`.
///
/// It looks at each run of token characters: well-known key prefixes (`sk-`, `ghp_`, `xoxb-`, `AKIA`…), JSON Web
/// Tokens, the value after `bearer`, `password=`, `token=` and the like, and long high-entropy runs of hex or
/// base64. It errs on the side of hiding: a redacted record loses a little detail, a leaked key is a breach.
public enum SecretScrubber {
    static let prefixes = ["sk-", "sk_live_", "sk_test_", "rk_live_", "ghp_", "gho_", "ghs_", "github_pat_", "xoxb-", "xoxp-", "xoxa-", "AKIA", "ASIA", "glpat-", "AIza"]
    static let keyWords = ["password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "private_key", "authorization"]

    public static func scrub(_ text: String) -> String {
        var output = ""
        var token = ""
        var redactNext = false
        func flush() {
            guard !token.isEmpty else { return }
            let isScheme = token.lowercased() == "bearer" || token.lowercased() == "basic"
            if isScheme {
                // `Authorization: Bearer x`: the scheme stays, the credential after it goes.
                output += token
                redactNext = true
            } else if redactNext || looksSecret(token) {
                output += "[redacted]"
                redactNext = false
            } else {
                output += token
            }
            token = ""
        }
        for character in text {
            if isTokenCharacter(character) {
                token.append(character)
            } else {
                let lowered = token.lowercased()
                let isKeyBeforeValue = (character == "=" || character == ":") && keyWords.contains { lowered.hasSuffix($0) }
                flush()
                if isKeyBeforeValue { redactNext = true }
                output.append(character)
            }
        }
        flush()
        return output
    }

    private static func isTokenCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "-_./+".contains(character)
    }

    static func looksSecret(_ token: String) -> Bool {
        if prefixes.contains(where: { token.hasPrefix($0) && token.count >= $0.count + 12 }) { return true }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        if token.hasPrefix("eyJ"), parts.count == 3, parts.allSatisfy({ $0.count >= 4 }) { return true }
        guard token.count >= 32 else { return false }
        let hex = token.allSatisfy(\.isHexDigit)
        let base64 = token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/_-=".contains($0)) }
        guard hex || base64 else { return false }
        // Mixed letters and digits, as keys are; a long word or number alone is not a secret.
        return token.contains(where: \.isNumber) && token.contains(where: \.isLetter)
    }
}
