import WardenJSON

/// Spelling text so the policy loader reads back exactly what was meant, whatever a server named its tools.
extension StarterPolicy {
    /// `text` as a YAML double-quoted scalar, which reads back as the same Unicode scalars.
    ///
    /// Quotes, backslashes, line breaks (including NEL, LS and PS, which YAML folds) and everything YAML does not
    /// allow raw in a stream are escaped, so a name can never end the string, the line or the document early.
    static func quoted(_ text: String) -> String {
        "\"" + escaped(text) + "\""
    }

    /// The inside of `quoted(_:)`; comments print it with `quotes` false, so a comment stays on one line but reads
    /// as written.
    static func escaped(_ text: String, quotes: Bool = true) -> String {
        var output = ""
        output.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where quotes: output += "\\\""
            case "\\" where quotes: output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                if isPrintable(scalar) {
                    output.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    output += "\\x" + hex(scalar.value, digits: 2)
                } else if scalar.value < 0x10000 {
                    output += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    output += "\\U" + hex(scalar.value, digits: 8)
                }
            }
        }
        return output
    }

    /// Whether YAML allows `scalar` raw inside a double-quoted string without changing what it reads as.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: true
        case 0xA0...0xD7FF: scalar.value != 0x2028 && scalar.value != 0x2029
        case 0xE000...0xFFFD: scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// A `tool:` pattern that matches `name` and nothing else.
    ///
    /// Tool selectors read `*`, `?` and `[` as wildcards and have no escape character, but a one-member set is a
    /// literal: `[*]` matches only `*`, `[[]` only `[`. So a tool called `*` is written `[*]`, not a rule for every
    /// tool, and `a[b]` is written `a[[]b]`. A `]` or `!` outside a set is already literal.
    static func exactPattern(_ name: String) -> String {
        var pattern = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "*", "?", "[": pattern += "[" + String(scalar) + "]"
            default: pattern.unicodeScalars.append(scalar)
            }
        }
        return pattern
    }

    /// A `tool:` list of exact names, one per line so a long list stays readable and diffs well.
    static func toolList(_ names: [String], indent: String) -> String {
        names.map { "\(indent)  - \(quoted(exactPattern($0)))\n" }.joined()
    }

    /// A JSON value in YAML flow style, each string quoted so none is read as a number, a boolean or null.
    static func flow(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number: return value.encodedString
        case .string(let text): return quoted(text)
        case .array(let elements): return "[" + elements.map(flow).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.map { "\(quoted($0.key)): \(flow($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// Text for a comment: one line, escaped like a quoted string, cut to `limit` characters.
    static func commentText(_ text: String, limit: Int = 110) -> String {
        let line = escaped(text, quotes: false)
        guard line.count > limit else { return line }
        return String(line.prefix(limit - 1)) + "…"
    }
}
