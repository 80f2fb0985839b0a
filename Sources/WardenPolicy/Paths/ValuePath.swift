/// Where a condition, budget or redaction reads a value from a tool call: `args.items[0].sku`, `agent.id`, `tool`.
///
/// Parsed once when the policy loads, so evaluating a condition walks prepared steps instead of re-reading text.
/// An unknown root is a load error, never a path that silently reads nothing.
public struct ValuePath: Hashable, Sendable, CustomStringConvertible {
    /// The part of the call a path starts from.
    public struct Root: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case args = "args"
            case agentID = "agent.id"
            case agentGroups = "agent.groups"
            case sessionID = "session.id"
            case clientName = "client.name"
            case tool = "tool"
            case server = "server"
            case category = "category"
            case timeHour = "time.hour"
            case timeWeekday = "time.weekday"
        }

        let base: Base

        init(_ base: Base) { self.base = base }

        /// The call's arguments object; the only root that takes further steps.
        public static let args = Root(.args)
        public static let agentID = Root(.agentID)
        /// The agent's groups, as an array of strings.
        public static let agentGroups = Root(.agentGroups)
        public static let sessionID = Root(.sessionID)
        public static let clientName = Root(.clientName)
        public static let tool = Root(.tool)
        public static let server = Root(.server)
        public static let category = Root(.category)
        /// The hour of the call in UTC, 0–23.
        public static let timeHour = Root(.timeHour)
        /// The day of the call in UTC, `mon` … `sun`.
        public static let timeWeekday = Root(.timeWeekday)

        /// Every root, spelled as in policy files.
        public static let all: [Root] = [
            .args, .agentID, .agentGroups, .sessionID, .clientName, .tool, .server, .category, .timeHour, .timeWeekday,
        ]

        /// The spelling used in policy files.
        public var description: String { base.rawValue }
    }

    /// One step into the arguments: a member of an object or an element of an array.
    public enum Step: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    /// Why a path could not be read, with the fix when one is known.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String

        public init(message: String) { self.message = message }

        public var description: String { message }
    }

    public let root: Root
    /// Steps below `args`; always empty for the other roots.
    public let steps: [Step]

    public init(root: Root, steps: [Step] = []) {
        self.root = root
        self.steps = root == .args ? steps : []
    }

    /// Reads a path as written in a policy file.
    public init(parsing text: String) throws(ParseError) {
        let (head, rest) = Self.splitRoot(text)
        switch head {
        case "args":
            self.init(root: .args, steps: try Self.parseSteps(rest, in: text))
            return
        case "agent", "session", "client", "time":
            let name = rest.hasPrefix(".") ? String(rest.dropFirst()) : ""
            let full = "\(head).\(name)"
            if let base = Root.Base(rawValue: full) {
                self.init(root: Root(base))
                return
            }
            let options = Root.all.map(\.description).filter { $0.hasPrefix(head + ".") }
            var message = "unknown path `\(text)`"
            if !name.isEmpty, let suggestion = Suggestion.closest(to: full, among: options) {
                message += "; did you mean `\(suggestion)`?"
            } else {
                message += "; `\(head)` has \(options.map { "`\($0)`" }.joined(separator: ", "))"
            }
            throw ParseError(message: message)
        case "tool", "server", "category":
            guard rest.isEmpty else {
                throw ParseError(message: "`\(head)` is a plain value and has no parts; write `\(head)`, not `\(text)`")
            }
            self.init(root: Root(Root.Base(rawValue: head)!))
            return
        default:
            let roots = ["args", "agent", "session", "client", "tool", "server", "category", "time"]
            var message = "unknown path `\(text)`"
            if let suggestion = Suggestion.closest(to: head, among: roots) {
                message += "; did you mean `\(suggestion)`?"
            } else {
                message += "; a path starts with one of \(roots.map { "`\($0)`" }.joined(separator: ", "))"
            }
            throw ParseError(message: message)
        }
    }

    /// Prints the path back as it would be written in a policy file.
    public var description: String {
        var text = root.description
        for step in steps {
            switch step {
            case .key(let key): text += "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    private static func splitRoot(_ text: String) -> (head: String, rest: Substring) {
        let end = text.firstIndex { $0 == "." || $0 == "[" } ?? text.endIndex
        return (String(text[..<end]), text[end...])
    }

    private static func parseSteps(_ rest: Substring, in text: String) throws(ParseError) -> [Step] {
        var steps: [Step] = []
        var remaining = rest
        while let first = remaining.first {
            if first == "." {
                remaining = remaining.dropFirst()
                let end = remaining.firstIndex { $0 == "." || $0 == "[" || $0 == "]" } ?? remaining.endIndex
                let key = remaining[..<end]
                guard !key.isEmpty else {
                    throw ParseError(message: "path `\(text)` has an empty part; write names between the dots, like `args.a.b`")
                }
                steps.append(.key(String(key)))
                remaining = remaining[end...]
            } else if first == "[" {
                guard let close = remaining.firstIndex(of: "]") else {
                    throw ParseError(message: "path `\(text)` has `[` without `]`; write indexes like `args.items[0]`")
                }
                let digits = remaining[remaining.index(after: remaining.startIndex)..<close]
                guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(digits) else {
                    throw ParseError(message: "path `\(text)` has index `[\(digits)]`; an index is a whole number ≥ 0, like `[0]`")
                }
                steps.append(.index(index))
                remaining = remaining[remaining.index(after: close)...]
            } else {
                throw ParseError(message: "path `\(text)` has `\(first)` where `.` or `[` should be; write paths like `args.items[0].sku`")
            }
        }
        return steps
    }
}
