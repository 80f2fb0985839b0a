import WardenJSON

/// Turns an Intercept policy into a Warden policy that decides the same calls the same way, and says where it cannot.
///
/// Intercept denies a call when any rule of its tool (then any `"*"` rule) fails; Warden denies when a deny rule
/// matches. So each evaluate rule becomes a deny rule that matches when its conditions do *not* all hold, each counter
/// becomes a rate limit or budget counted `per: global`, and `default: deny` becomes an allow rule for the listed tools.
/// Comparisons are written to hold only for the JSON types Intercept's comparisons accept, since Warden reads values
/// leniently (`"1200"` as 1200) and Intercept does not. What Warden cannot express is listed as a note; a condition it
/// cannot express makes its rule deny every call it selects, never let one through.
public enum InterceptConverter {
    /// Converts `policy`; `sourceName` is the Intercept file's name, printed in the header comment.
    public static func convert(_ policy: InterceptPolicy, sourceName: String) -> InterceptConversion {
        var builder = Builder(policy: policy)
        for tool in policy.tools where !tool.isWildcard { builder.add(tool) }
        if let wildcard = policy.wildcard { builder.add(wildcard) }
        for ignored in policy.ignoredKeys {
            builder.notes.append(
                .init(kind: .ignoredKey, position: ignored.position, message: "Intercept ignores the key `\(ignored.key)`; so does the conversion")
            )
        }
        let notes = builder.notes.sorted { ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column) }
        return InterceptConversion(yaml: builder.yaml(sourceName: sourceName, notes: notes), notes: notes)
    }

    /// A tool name as a Warden glob that matches only that name.
    static func literalGlob(_ name: String) -> String {
        var glob = ""
        for character in name {
            switch character {
            case "*": glob += "[*]"
            case "?": glob += "[?]"
            case "[": glob += "[[]"
            default: glob.append(character)
            }
        }
        return glob
    }

    /// Text on one line, for a comment.
    static func oneLine(_ text: String) -> String { text.split(whereSeparator: \.isNewline).joined(separator: " ") }

    /// Text as a YAML double-quoted scalar.
    static func quoted(_ text: String) -> String { JSONValue.string(text).encodedString }
}

extension InterceptConverter {
    /// Collects the Warden rules, in the order that makes Warden report the rule Intercept would report.
    struct Builder {
        let policy: InterceptPolicy
        var rules: [String] = []
        var notes: [InterceptConversion.Note] = []
        var names: Set<String> = []

        init(policy: InterceptPolicy) {
            self.policy = policy
            names.insert(Self.listedRule)
        }

        /// The allow rule that stands for `default: deny`'s list of permitted tools.
        static let listedRule = "tools listed in the Intercept policy"

        /// The `tool:` line for rules of `tool`: its name, or for `"*"` every tool (every listed tool under `default: deny`,
        /// since Intercept refuses the others before it looks at wildcard rules).
        func selector(for tool: InterceptPolicy.Tool) -> String? {
            guard tool.isWildcard else { return "[\(quoted(literalGlob(tool.name)))]" }
            guard policy.denyByDefault else { return nil }
            let listed = policy.tools.filter { !$0.isWildcard }.map { quoted(literalGlob($0.name)) }
            return "[\(listed.joined(separator: ", "))]"
        }

        /// A rule name not used yet.
        mutating func name(_ base: String) -> String {
            var name = base
            var number = 2
            while names.contains(name) {
                name = "\(base) #\(number)"
                number += 1
            }
            names.insert(name)
            return name
        }

        mutating func add(_ tool: InterceptPolicy.Tool) {
            let label = tool.isWildcard ? "every tool" : tool.name
            if tool.isWildcard && policy.denyByDefault && !policy.tools.contains(where: { !$0.isWildcard }) {
                return  // Under default deny with nothing listed, every call is refused before wildcard rules run.
            }
            for rule in tool.rules { add(rule, of: tool, label: label) }
        }

        /// Appends one Warden rule.
        mutating func emit(_ name: String, tool: InterceptPolicy.Tool, when: ImportedCondition?, effect: String, reason: String?) {
            var lines = ["  - name: \(quoted(self.name(name)))"]
            if let selector = selector(for: tool) { lines.append("    tool: \(selector)") }
            if let when { lines.append("    when: {\(when.flow)}") }
            lines.append("    \(effect)")
            if let reason { lines.append("    reason: \(quoted(reason))") }
            rules.append(lines.joined(separator: "\n"))
        }

        func yaml(sourceName: String, notes: [InterceptConversion.Note]) -> String {
            var lines = [
                "# Converted by `warden import intercept` from the Intercept policy \(oneLine(sourceName)).",
                "# Each evaluate rule became a deny rule that fires when its conditions do not all hold; counters are counted per: global.",
            ]
            if notes.isEmpty {
                lines.append("# Everything was carried over.")
            } else {
                lines.append("# Not carried over exactly (line numbers are the Intercept file's):")
                for note in notes { lines.append("#   line \(note.position.line): \(oneLine(note.message))") }
            }
            lines.append("version: 1")
            if let description = policy.description { lines.append("description: \(quoted(description))") }
            lines.append("default: \(policy.denyByDefault ? "deny" : "allow")")
            if !policy.hide.isEmpty {
                let hidden = policy.hide.map { $0 == "*" ? quoted("*") : quoted(literalGlob($0)) }
                lines.append("hide: [\(hidden.joined(separator: ", "))]")
            }
            var rules = self.rules
            let listed = policy.tools.filter { !$0.isWildcard }
            if policy.denyByDefault, !listed.isEmpty {
                let names = listed.map { quoted(literalGlob($0.name)) }.joined(separator: ", ")
                rules.insert("  - name: \(quoted(Self.listedRule))\n    tool: [\(names)]\n    action: allow", at: 0)
            }
            lines.append(rules.isEmpty ? "rules: []" : "rules:")
            return (lines + rules).joined(separator: "\n") + "\n"
        }
    }
}
