#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces what looks like a credential inside a string with `[redacted]`, for `audit: {args: redact}`.
///
/// It reads the text as runs of token characters and hides a run when it is:
/// - a well-known key: `sk-…`, `ghp_…`, `github_pat_…`, `xoxb-…`, `glpat-…`, AWS `AKIA…`/`ASIA…`, Google `AIza…`;
/// - a JSON Web Token, `eyJ….….…`;
/// - the value after `password=`, `token:`, `api_key=`, `secret:` and the like, or the credential after `Bearer`;
/// - a long (32 or more) high-entropy run of hex or base64.
///
/// It errs on the side of hiding: a redacted record loses a little detail, a leaked key is a breach. It is a net
/// under the policy's `redact` paths, not a replacement for them.
public enum SecretScrubber {
    /// Prefixes of well-known keys, with how many characters must follow for a run to be a key and not a word.
    static let prefixes: [(prefix: String, minimumRest: Int)] = [
        ("sk-", 16), ("sk_live_", 16), ("sk_test_", 16), ("rk_live_", 16), ("rk_test_", 16), ("whsec_", 16),
        ("ghp_", 20), ("gho_", 20), ("ghu_", 20), ("ghs_", 20), ("ghr_", 20), ("github_pat_", 20),
        ("xoxb-", 10), ("xoxp-", 10), ("xoxa-", 10), ("xoxr-", 10), ("xoxs-", 10), ("glpat-", 20), ("AIza", 30),
    ]

    /// Words that name a credential; the value after `word=` or `word:` is hidden (`github_token=…`, `DB_PASSWORD: …`).
    static let keyWords = [
        "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "access_key", "private_key", "auth",
        "authorization", "credential", "credentials", "session_key", "passphrase",
    ]

    /// Authorization schemes whose next run is the credential.
    static let schemes: Set<String> = ["bearer", "basic", "token"]

    public static func scrub(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var run = ""
        /// The next run is a credential: it follows `key=` or `Bearer`.
        var valueExpected = false
        /// The next run is a credential if it looks like one: it follows an authorization scheme word.
        var schemeSeen = false
        func flush() {
            guard !run.isEmpty else { return }
            if schemes.contains(run.lowercased()) {
                // `Authorization: Bearer x`: the scheme stays, the credential after it goes.
                output += run
                schemeSeen = true
            } else if valueExpected || (schemeSeen && looksLikeCredential(run)) {
                output += redacted
                valueExpected = false
                schemeSeen = false
            } else {
                output += scrubbedRun(run)
                schemeSeen = false
            }
            run = ""
        }
        for character in text {
            if isTokenCharacter(character) {
                run.append(character)
                continue
            }
            let namesCredential = (character == "=" || character == ":") && isKeyWord(run)
            flush()
            if namesCredential {
                valueExpected = true
            } else if !(character == " " || character == "\t" || character == "\"" || character == "'" || character == "=" || character == ":") {
                // A value follows its key across spaces and quotes, never across a comma, an `&` or a new line.
                valueExpected = false
                schemeSeen = false
            }
            output.append(character)
        }
        flush()
        return output
    }

    static let redacted = "[redacted]"

    static func isTokenCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "-" || character == "_" || character == "." || character == "/"
            || character == "+" || character == "~"
    }

    static func isKeyWord(_ run: String) -> Bool {
        let normalized = run.lowercased().replacingDashes()
        return keyWords.contains { normalized == $0 || normalized.hasSuffix("_" + $0) || normalized.hasSuffix($0) && $0.count >= 6 }
    }

    /// Whether a run after an authorization scheme is a credential rather than the next word of a sentence
    /// ("Bearer abc.def" versus "the bearer of").
    static func looksLikeCredential(_ run: String) -> Bool {
        run.count >= 8 || run.contains { !$0.isLetter }
    }

    /// The run, or `[redacted]` when it is a key or a token, or with its high-entropy dotted parts replaced
    /// (`key.<64 hex digits>.` keeps `key.` and the final `.`).
    static func scrubbedRun(_ run: String) -> String {
        if looksSecret(run) { return redacted }
        let parts = run.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.contains(where: isHighEntropy) else { return run }
        return parts.map { isHighEntropy($0) ? redacted : String($0) }.joined(separator: ".")
    }

    /// Whether a whole run is a well-known key or a token.
    static func looksSecret(_ run: String) -> Bool {
        for (prefix, minimumRest) in prefixes where run.hasPrefix(prefix) {
            let rest = run.dropFirst(prefix.count)
            if rest.count >= minimumRest, rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                return true
            }
        }
        if run.count == 20, run.hasPrefix("AKIA") || run.hasPrefix("ASIA"),
            run.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })
        {
            return true
        }
        return isJSONWebToken(run)
    }

    /// `eyJ…` (a base64url JSON object) in three dot-separated base64url parts.
    static func isJSONWebToken(_ run: String) -> Bool {
        guard run.hasPrefix("eyJ") else { return false }
        let parts = run.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count >= 8 && parts[1].count >= 4 && parts[2].count >= 4
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } }
    }

    /// A run of 32 or more hex or base64 characters that mixes letters and digits and is as varied as random
    /// bytes are: a digest, a key, a session secret. Long words, numbers and paths are not that varied.
    static func isHighEntropy(_ run: Substring) -> Bool {
        guard run.count >= 32, run.contains(where: \.isNumber), run.contains(where: \.isLetter) else { return false }
        if run.allSatisfy(\.isHexDigit) {
            return entropy(run) >= 3.0
        }
        let isBase64 = run.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "-" || $0 == "_") }
        guard isBase64, run.contains(where: \.isUppercase), run.contains(where: \.isLowercase) else { return false }
        return entropy(run) >= 4.0
    }

    /// Shannon entropy in bits per character.
    static func entropy(_ run: Substring) -> Double {
        var counts: [Character: Int] = [:]
        for character in run { counts[character, default: 0] += 1 }
        let total = Double(run.count)
        var bits = 0.0
        for count in counts.values {
            let p = Double(count) / total
            bits -= p * log2(p)
        }
        return bits
    }
}

extension String {
    fileprivate func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
