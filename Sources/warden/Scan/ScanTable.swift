import WardenPolicy

/// The scan as a table for people: the riskiest tools first, what each does and why Warden thinks so.
struct ScanTable {
    /// Whether severities are coloured (a terminal that wants colour).
    var isColored = false
    /// Whether every piece of evidence and the description are shown, not just the first two pieces.
    var isVerbose = false

    /// Every server's table; each under a heading with its name when `showsHeadings` (a gateway config's servers).
    func render(_ servers: [ScannedServer], showsHeadings: Bool) -> String {
        var sections: [String] = []
        for server in servers {
            var section = ""
            if showsHeadings { section += "== \(server.name ?? "server") ==\n" }
            section += render(server.assessments)
            section += Self.poisoningSection(server)
            sections.append(section)
        }
        return sections.joined(separator: "\n")
    }

    /// One server's table and its summary line.
    func render(_ assessments: [ToolAssessment]) -> String {
        guard !assessments.isEmpty else { return "The server lists no tools.\n" }
        let sorted = assessments.sorted { $0.severity != $1.severity ? $0.severity > $1.severity : $0.name < $1.name }
        let nameWidth = min(max(4, sorted.map(\.name.count).max() ?? 0), 48)
        let categoryWidth = ToolCategory.all.map(\.description.count).max() ?? 11
        let severityWidth = ToolSeverity.allCases.map(\.description.count).max() ?? 8
        let indent = String(repeating: " ", count: nameWidth + categoryWidth + severityWidth + 6)
        var text = pad("NAME", nameWidth) + "  " + pad("CATEGORY", categoryWidth) + "  " + pad("SEVERITY", severityWidth) + "  EVIDENCE\n"
        for tool in sorted {
            let lines = evidenceLines(tool)
            text += pad(tool.name, nameWidth) + "  " + pad(tool.category.description, categoryWidth) + "  "
            text += paint(tool.severity, pad(tool.severity.description, severityWidth)) + "  " + lines[0] + "\n"
            for line in lines.dropFirst() { text += indent + line + "\n" }
        }
        return text + Self.summary(assessments) + "\n"
    }

    /// Every poisoning finding with its text span, under the table: the tools `poisoning: hide` keeps from the agent.
    static func poisoningSection(_ server: ScannedServer) -> String {
        let names = server.definitions.map(\.name).filter { server.poisoning[$0] != nil }
        guard !names.isEmpty else { return "" }
        var seen = Set<String>()
        var text = "\nLooks aimed at the model (hidden at run time unless the policy says poisoning: flag or off):\n"
        for name in names where seen.insert(name).inserted {
            for finding in server.poisoning[name] ?? [] { text += "  \(name): \(finding)\n" }
        }
        return text
    }

    /// `8 tools: 2 read, 1 write, 1 destructive (1 critical, 2 high, 5 low)`, zero counts left out.
    static func summary(_ assessments: [ToolAssessment]) -> String {
        let categories = ToolCategory.all.compactMap { category -> String? in
            let count = assessments.count { $0.category == category }
            return count == 0 ? nil : "\(count) \(category)"
        }
        let severities = ToolSeverity.allCases.reversed().compactMap { severity -> String? in
            let count = assessments.count { $0.severity == severity }
            return count == 0 ? nil : "\(count) \(severity)"
        }
        let tools = assessments.count == 1 ? "1 tool" : "\(assessments.count) tools"
        return "\(tools): \(categories.joined(separator: ", ")) (\(severities.joined(separator: ", ")))"
    }

    /// The evidence column: the first two findings on one line, or (verbose) one finding a line and the description.
    private func evidenceLines(_ tool: ToolAssessment) -> [String] {
        let findings = tool.evidence.map(\.description)
        guard isVerbose else {
            guard !findings.isEmpty else { return ["-"] }
            let shown = findings.prefix(2).joined(separator: "; ")
            return [findings.count > 2 ? "\(shown); +\(findings.count - 2) more" : shown]
        }
        return (findings.isEmpty ? ["-"] : findings) + ["description: \(Self.oneLine(tool.description))"]
    }

    /// The description on one line, or `(no description)` when it is missing or blank.
    static func oneLine(_ description: String?) -> String {
        let words = (description ?? "").split(whereSeparator: \.isWhitespace)
        return words.isEmpty ? "(no description)" : words.joined(separator: " ")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// The severity in its colour: the worse, the louder.
    private func paint(_ severity: ToolSeverity, _ text: String) -> String {
        guard isColored else { return text }
        let code =
            switch severity {
            case .critical: "1;31"
            case .high: "31"
            case .medium: "33"
            case .low: "32"
            }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
