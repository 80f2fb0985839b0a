import WardenJSON

/// A line diff of a tool's trusted and pending definitions, for the person deciding whether to accept a change.
///
/// Canonical definitions are one long line each, so both are first pretty-printed one key per line (keys sorted,
/// indent 2, every string on one line): a reworded description or a loosened schema keyword is then one `-` line and
/// one `+` line. `warden pins diff`, the admin API and the console all show this same text.
public struct DefinitionDiff: Sendable, Hashable {
    /// One line of the diff: in both definitions, only in the trusted one, or only in the pending one.
    public struct Line: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            case same
            case removed
            case added
        }

        public var kind: Kind
        public var text: String

        public init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }
    }

    /// Every line of both definitions in order, each marked; unchanged lines included.
    public let lines: [Line]

    /// The diff from `old` to `new` canonical definition text; nil stands for no definition (a new tool held).
    public init(old: String?, new: String?) {
        lines = Self.diff(old.map(Self.prettyLines) ?? [], new.map(Self.prettyLines) ?? [])
    }

    /// Whether anything differs.
    public var hasChanges: Bool { lines.contains { $0.kind != .same } }

    /// The diff as `diff -u` prints it: `---`/`+++` headers, `@@` hunks with `context` unchanged lines around each
    /// change, and ANSI colours when `color` is set.
    public func unified(oldLabel: String, newLabel: String, context: Int = 3, color: Bool = false) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        var output = [paint("--- \(oldLabel)", "1"), paint("+++ \(newLabel)", "1")]
        for hunk in hunks(context: max(context, 0)) {
            var (oldStart, newStart) = (1, 1)
            for line in lines[..<hunk.lowerBound] {
                if line.kind != .added { oldStart += 1 }
                if line.kind != .removed { newStart += 1 }
            }
            let body = lines[hunk]
            let oldCount = body.filter { $0.kind != .added }.count
            let newCount = body.filter { $0.kind != .removed }.count
            // As `diff -u` writes it: an empty side is named by the line before it.
            let oldRange = "\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount)"
            let newRange = "\(newCount == 0 ? newStart - 1 : newStart),\(newCount)"
            output.append(paint("@@ -\(oldRange) +\(newRange) @@", "36"))
            for line in body {
                switch line.kind {
                case .same: output.append(" " + line.text)
                case .removed: output.append(paint("-" + line.text, "31"))
                case .added: output.append(paint("+" + line.text, "32"))
                }
            }
        }
        return output.joined(separator: "\n") + "\n"
    }

    /// The ranges of ``lines`` to show: each change with `context` lines either side, overlapping ranges merged.
    func hunks(context: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for (index, line) in lines.enumerated() where line.kind != .same {
            let range = max(index - context, 0)..<min(index + context + 1, lines.count)
            if let last = ranges.last, range.lowerBound <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        return ranges
    }

    // MARK: - Pretty printing

    /// `canonical` as JSON one key or element per line, keys sorted, indent 2; text that is not JSON, line by line.
    public static func prettyLines(_ canonical: String) -> [String] {
        guard let value = try? JSONParser.parse(canonical) else {
            return canonical.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        var lines: [String] = []
        write(value, lead: "", depth: 0, trailer: "", into: &lines)
        return lines
    }

    /// `canonical` pretty-printed as one text, as the admin API and the console show a definition.
    public static func pretty(_ canonical: String) -> String {
        prettyLines(canonical).joined(separator: "\n")
    }

    private static func write(_ value: JSONValue, lead: String, depth: Int, trailer: String, into lines: inout [String]) {
        let indent = String(repeating: "  ", count: depth + 1)
        switch value {
        case .object(let object) where !object.isEmpty:
            lines.append(lead + "{")
            // UTF-8 byte order is Unicode scalar order, the order of the canonical form.
            let members = object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in members.enumerated() {
                let key = JSONValue.string(member.key).encodedString
                write(member.value, lead: indent + key + ": ", depth: depth + 1, trailer: index == members.count - 1 ? "" : ",", into: &lines)
            }
            lines.append(String(repeating: "  ", count: depth) + "}" + trailer)
        case .array(let elements) where !elements.isEmpty:
            lines.append(lead + "[")
            for (index, element) in elements.enumerated() {
                write(element, lead: indent, depth: depth + 1, trailer: index == elements.count - 1 ? "" : ",", into: &lines)
            }
            lines.append(String(repeating: "  ", count: depth) + "]" + trailer)
        default:
            // Scalars, `{}` and `[]`; a string keeps its escapes (`\n`), so it stays on one line however long.
            lines.append(lead + value.encodedString + trailer)
        }
    }

    // MARK: - Longest common subsequence

    /// Above this many cells the middle of the diff is shown as all removed, then all added, rather than spend
    /// the memory of a table that size on a definition nobody reads line by line.
    static let tableLimit = 4_000_000

    /// The edit script from `old` to `new` lines: common prefix and suffix, and a longest common subsequence between.
    static func diff(_ old: [String], _ new: [String]) -> [Line] {
        let prefix = zip(old, new).prefix { $0 == $1 }.count
        let suffix = zip(old.dropFirst(prefix).reversed(), new.dropFirst(prefix).reversed()).prefix { $0 == $1 }.count
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])
        var lines = old[..<prefix].map { Line(.same, $0) }
        if a.count * b.count > tableLimit || a.isEmpty || b.isEmpty {
            lines += a.map { Line(.removed, $0) } + b.map { Line(.added, $0) }
        } else {
            lines += middle(a, b)
        }
        lines += old[(old.count - suffix)...].map { Line(.same, $0) }
        return slid(lines)
    }

    /// The same diff with each added or removed block moved, where it can be, so that it does not start with a
    /// closing bracket: a new member then reads `+ "memo": {` … `+ },` rather than `+ },` … `+ "type": "string"`.
    ///
    /// A block can move up by one line when the unchanged line before it equals its last line (and down likewise),
    /// which only changes which copy of that line is marked; the texts stay where they are.
    static func slid(_ lines: [Line]) -> [Line] {
        func opensWithCloser(_ line: Line) -> Bool { line.text.drop { $0 == " " }.first.map { $0 == "}" || $0 == "]" } ?? false }
        var lines = lines
        var start = 0
        while start < lines.count {
            let kind = lines[start].kind
            var end = start + 1
            while end < lines.count, lines[end].kind == kind { end += 1 }
            guard kind != .same else {
                start = end
                continue
            }
            while start > 0, lines[start - 1].kind == .same, lines[start - 1].text == lines[end - 1].text {
                (lines[start - 1].kind, lines[end - 1].kind) = (kind, .same)
                (start, end) = (start - 1, end - 1)
            }
            var best = opensWithCloser(lines[start]) ? nil : start
            while end < lines.count, lines[end].kind == .same, lines[end].text == lines[start].text {
                (lines[start].kind, lines[end].kind) = (.same, kind)
                (start, end) = (start + 1, end + 1)
                if !opensWithCloser(lines[start]) { best = start }
            }
            while let target = best, start > target {
                (lines[start - 1].kind, lines[end - 1].kind) = (kind, .same)
                (start, end) = (start - 1, end - 1)
            }
            start = end
        }
        return lines
    }

    /// The classic table: `length[i][j]` is the LCS of `a[i...]` and `b[j...]`; walking it from the start gives
    /// removals before additions at each change, as `diff` prints them.
    private static func middle(_ a: [String], _ b: [String]) -> [Line] {
        let width = b.count + 1
        var length = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                length[i * width + j] =
                    a[i] == b[j] ? length[(i + 1) * width + j + 1] + 1 : max(length[(i + 1) * width + j], length[i * width + j + 1])
            }
        }
        var lines: [Line] = []
        var (i, j) = (0, 0)
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                lines.append(Line(.same, a[i]))
                i += 1
                j += 1
            } else if length[(i + 1) * width + j] >= length[i * width + j + 1] {
                lines.append(Line(.removed, a[i]))
                i += 1
            } else {
                lines.append(Line(.added, b[j]))
                j += 1
            }
        }
        lines += a[i...].map { Line(.removed, $0) }
        lines += b[j...].map { Line(.added, $0) }
        return lines
    }
}
