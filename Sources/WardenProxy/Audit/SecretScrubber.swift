#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces what looks like a credential inside a string with `[redacted]`, for `audit: {args: redact}` and for
/// what approvers are shown.
///
/// It reads the text as runs of token characters and hides a run when it is:
/// - a well-known key: `sk-…`, `ghp_…`, `github_pat_…`, `xoxb-…`, `glpat-…`, AWS `AKIA…`/`ASIA…`, Google `AIza…`;
/// - a JSON Web Token, `eyJ….….…`;
/// - the value after `password=`, `"token": `, `api key = `, `Secret:` and the like (a quoted value whole, a
///   `Cookie:` value to the end of its line), or the credential after `Bearer`;
/// - the password in a URL (`postgres://admin:[redacted]@host`);
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

    /// Words that name a credential, as object keys or before `=`/`:` in text (`github_token=…`, `DB_PASSWORD: …`,
    /// `"x-api-key": …`); compared after ``normalizedName(_:)``.
    static let keyWords: Set<String> = [
        "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "access_key", "private_key", "auth",
        "authorization", "credential", "credentials", "session_key", "passphrase", "cookie", "accesstoken", "authtoken",
    ]

    /// Words that make any name starting with them a credential's (`secret_key`, `password_hash`, `api_key_id`).
    static let keyPrefixes = ["password_", "passwd_", "secret_", "private_key_", "api_key_", "apikey_"]

    /// Names whose value runs to the end of the line: a cookie header holds several `name=value` credentials.
    static let lineWords: Set<String> = ["cookie", "set_cookie"]

    /// Authorization schemes whose next run is the credential.
    static let schemes: Set<String> = ["bearer", "basic", "token"]

    public static func scrub(_ text: String) -> String {
        let text = hidingURLCredentials(text)
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var run = ""
        /// The next run is a credential: it follows `key=` or `Bearer`.
        var valueExpected = false
        /// The next run is a credential if it looks like one: it follows an authorization scheme word.
        var schemeSeen = false
        /// The value in hand ends at the end of the line (a cookie header).
        var lineValueExpected = false
        var lineValueStarted = false
        /// Inside a quoted credential, hidden up to this closing quote.
        var quote: Character?
        var escaped = false
        /// The last two runs, while only spaces and quotes have followed them: the name a `=` or `:` would close.
        var words: (previous: String?, last: String?) = (nil, nil)
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
            words = (words.last, run)
            run = ""
        }
        for character in text {
            if let closing = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == closing {
                    output += redacted
                    output.append(character)
                    quote = nil
                }
                continue
            }
            if lineValueExpected {
                if !lineValueStarted, character == " " || character == "\t" {
                    output.append(character)
                    continue
                }
                lineValueStarted = true
                guard character == "\n" || character == "\r" else { continue }
                output += redacted
                lineValueExpected = false
            }
            if isTokenCharacter(character) {
                run.append(character)
                continue
            }
            let hadRun = !run.isEmpty
            flush()
            if (character == "=" || character == ":"), let name = credentialName(words) {
                output.append(character)
                valueExpected = !lineWords.contains(name)
                lineValueExpected = lineWords.contains(name)
                lineValueStarted = false
                words = (nil, nil)
                continue
            }
            if (character == "\"" || character == "'"), valueExpected, !hadRun {
                // `"password": "correct horse"`: the whole quoted value goes, not only its first word.
                output.append(character)
                quote = character
                valueExpected = false
                continue
            }
            if !(character == " " || character == "\t" || character == "\"" || character == "'" || character == "=" || character == ":") {
                // A value follows its key across spaces and quotes, never across a comma, an `&` or a new line.
                valueExpected = false
                schemeSeen = false
            }
            if !(character == " " || character == "\t" || character == "\"" || character == "'") {
                words = (nil, nil)
            }
            output.append(character)
        }
        flush()
        if quote != nil || (lineValueExpected && lineValueStarted) { output += redacted }
        return output
    }

    /// The credential name the last one or two words spell (`token`, `api key`), normalized, if they spell one.
    private static func credentialName(_ words: (previous: String?, last: String?)) -> String? {
        guard let last = words.last else { return nil }
        let name = normalizedName(last)
        if isCredentialName(normalized: name) { return name }
        guard let previous = words.previous else { return nil }
        let pair = normalizedName(previous) + "_" + name
        return isCredentialName(normalized: pair) ? pair : nil
    }

    static let redacted = "[redacted]"

    static func isTokenCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "-" || character == "_" || character == "." || character == "/"
            || character == "+" || character == "~"
    }

    /// Whether an object key or a word names a credential, whatever its case or separators (`Password`, `API_KEY`,
    /// `x-api-key`, `clientSecret`, `private_key`).
    public static func isCredentialName(_ name: String) -> Bool {
        isCredentialName(normalized: normalizedName(name))
    }

    static func isCredentialName(normalized name: String) -> Bool {
        if keyWords.contains(name) { return true }
        for word in keyWords where name.hasSuffix(word) {
            // `db_password`, `github_token`, `dbpassword`; a short word only after a separator (`author` is no `auth`).
            if word.count >= 6 || name.dropLast(word.count).hasSuffix("_") { return true }
        }
        return keyPrefixes.contains { name.hasPrefix($0) }
    }

    /// Lowercase, with `-`, `.` and spaces as `_` and a `_` where camel case starts a word: `xApiKey` is `x_api_key`.
    static func normalizedName(_ name: String) -> String {
        var output = ""
        output.reserveCapacity(name.utf8.count + 4)
        var previousIsLower = false
        for character in name {
            if character == "-" || character == "." || character == " " {
                output.append("_")
                previousIsLower = false
                continue
            }
            if character.isUppercase, previousIsLower { output.append("_") }
            previousIsLower = character.isLowercase || character.isNumber
            output += character.lowercased()
        }
        return output
    }

    /// Hides the password of every `scheme://user:password@host` (and a token used as the user name).
    static func hidingURLCredentials(_ text: String) -> String {
        guard text.utf8.count > 4, text.contains("://") else { return text }
        var output = ""
        var rest = text[...]
        while let separator = rest.firstRange(of: "://") {
            output += rest[..<separator.upperBound]
            let after = rest[separator.upperBound...]
            let end = after.firstIndex { "/?#\"'<>`\\".contains($0) || $0.isWhitespace } ?? after.endIndex
            let authority = after[..<end]
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    output += userInfo[...colon] + redacted
                } else if looksSecret(String(userInfo)) || (userInfo.count >= 20 && userInfo.contains(where: \.isNumber)) {
                    output += redacted
                } else {
                    output += userInfo
                }
                output += authority[at...]
            } else {
                output += authority
            }
            rest = after[end...]
        }
        return output + rest
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
