import Foundation

/// A `pattern` compiled for ICU with the few ECMA-262 meanings that differ rewritten, so it matches as a schema
/// author testing in JavaScript expects.
///
/// ICU (behind `NSRegularExpression`) compiles the whole subset schemas use, including lookbehind and `\cX`, which
/// Swift's `Regex` does not. Three things mean something else in ICU, and are rewritten outside escapes:
/// `$` (ICU also matches before a final newline; ECMA only at the end), `\d` and `\w` (ICU takes any Unicode digit
/// or letter; ECMA only ASCII), and `\u{…}` (ICU spells it `\x{…}`). Patterns are not anchored: a match anywhere
/// in the string counts, as the specification says.
struct PatternMatcher: Sendable {
    /// The pattern as the schema wrote it, for messages.
    let source: String
    private let expression: NSRegularExpression

    /// Compiles `source`, or returns the reason it cannot be compiled.
    init(_ source: String) throws(PatternError) {
        self.source = source
        do {
            expression = try NSRegularExpression(pattern: Self.icuPattern(for: source), options: [])
        } catch {
            throw PatternError(reason: "not a regular expression Warden can compile")
        }
    }

    /// Whether the pattern matches somewhere in `string`.
    func matches(_ string: String) -> Bool {
        expression.firstMatch(in: string, options: [], range: NSRange(location: 0, length: string.utf16.count)) != nil
    }

    /// The ECMA-262 pattern rewritten for ICU where the two read the same text differently.
    static func icuPattern(for source: String) -> String {
        let scalars = Array(source.unicodeScalars)
        var output = String.UnicodeScalarView()
        var inClass = false
        var index = 0
        func append(_ text: String) { output.append(contentsOf: text.unicodeScalars) }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                let next = scalars[index + 1]
                index += 2
                switch next {
                case "d": append(inClass ? "0-9" : "[0-9]")
                case "D" where !inClass: append("[^0-9]")
                case "w": append(inClass ? "A-Za-z0-9_" : "[A-Za-z0-9_]")
                case "W" where !inClass: append("[^A-Za-z0-9_]")
                case "u" where index < scalars.count && scalars[index] == "{": append("\\x")
                default:
                    output.append(scalar)
                    output.append(next)
                }
                continue
            }
            index += 1
            if inClass {
                if scalar == "]" { inClass = false }
                output.append(scalar)
            } else if scalar == "[" {
                inClass = true
                output.append(scalar)
                if index < scalars.count, scalars[index] == "^" {
                    output.append(scalars[index])
                    index += 1
                }
            } else if scalar == "$" {
                append("\\z")
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }
}

/// Why a pattern did not compile; the compiler turns it into a `SchemaError` with the pattern's location.
struct PatternError: Error {
    var reason: String
}
