/// How tool arguments appear in the audit trail.
///
/// The default keeps only a digest, so an audit log never becomes a copy of the data that flowed through it.
public struct AuditSettings: Hashable, Sendable {
    /// How much of the arguments is recorded.
    public struct ArgumentMode: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case hash, full, redact
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// A SHA-256 digest of the arguments only (the default).
        public static let hash = ArgumentMode(.hash)
        /// The arguments as sent.
        public static let full = ArgumentMode(.full)
        /// The arguments with the `redact` paths replaced.
        public static let redact = ArgumentMode(.redact)

        /// Every mode, in the order the docs list them.
        public static let all: [ArgumentMode] = [.hash, .full, .redact]

        /// Reads the spelling used in policy files.
        public init?(name: String) {
            guard let base = Base(rawValue: name) else { return nil }
            self.base = base
        }

        public var description: String { base.rawValue }
    }

    /// An argument path to hide: `args.card.number`, `args.cards[0].number`, or `args.cards[*].number` for every element.
    ///
    /// Keys match whatever their case (`args.password` hides `Password` and `PASSWORD` too): a redaction that
    /// misses a differently spelt key leaks the value, one that hides a little more costs nothing.
    public struct RedactPath: Hashable, Sendable, CustomStringConvertible {
        /// One step below `args`.
        public enum Step: Hashable, Sendable {
            /// A member of an object, compared lowercased.
            case key(String)
            case index(Int)
            /// `[*]`: every element of an array.
            case anyIndex
        }

        public let steps: [Step]

        public init(steps: [Step]) { self.steps = steps }

        /// The same path as a condition reads it, with no wildcard.
        public init(_ path: ValuePath) {
            steps = path.steps.map { step in
                switch step {
                case .key(let key): .key(key)
                case .index(let index): .index(index)
                }
            }
        }

        /// Reads `args.…` as written in a policy file; `[*]` stands for every index.
        public init(parsing text: String) throws(ValuePath.ParseError) {
            // The n-th `[` in the text opens the n-th index step, so the wildcards are found by position and the rest
            // of the text is checked (and its errors worded) exactly as a condition's path is.
            let brackets = text.split(separator: "[", omittingEmptySubsequences: false).dropFirst().map { $0.hasPrefix("*]") }
            let path = try ValuePath(parsing: text.replacingWildcards())
            guard path.root == .args else {
                throw ValuePath.ParseError(message: "`redact` lists argument paths; write `args.\(text)` or another path under `args`")
            }
            var bracket = 0
            steps = path.steps.map { step in
                switch step {
                case .key(let key):
                    return .key(key)
                case .index(let index):
                    defer { bracket += 1 }
                    return bracket < brackets.count && brackets[bracket] ? .anyIndex : .index(index)
                }
            }
        }

        public var description: String {
            var text = "args"
            for step in steps {
                switch step {
                case .key(let key): text += "." + key
                case .index(let index): text += "[\(index)]"
                case .anyIndex: text += "[*]"
                }
            }
            return text
        }
    }

    /// YAML `audit.args`.
    public var arguments: ArgumentMode
    /// YAML `audit.redact`: argument paths (`args.…`) whose values are replaced when `arguments` is `redact`, and
    /// always in what approvers are shown.
    public var redact: [RedactPath]

    public init(arguments: ArgumentMode = .hash, redact: [RedactPath] = []) {
        self.arguments = arguments
        self.redact = redact
    }
}

extension String {
    /// `[*]` read as `[0]`, so the path parser checks the rest of a redact path.
    fileprivate func replacingWildcards() -> String {
        var output = ""
        var rest = self[...]
        while let range = rest.firstRange(of: "[*]") {
            output += rest[..<range.lowerBound] + "[0]"
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
