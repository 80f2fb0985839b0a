public import WardenJSON

/// A PolicyLayer Intercept policy (version 1), read so that `InterceptConverter` can turn it into a Warden policy.
///
/// The `rate_limit: N/window` shorthand is already expanded here, as Intercept expands it when it loads a file: an
/// evaluate rule with an `lte N` condition on a counter named `_rate_<window>`. Converter and tests then see one form.
public struct InterceptPolicy: Hashable, Sendable {
    /// A time window of a counter; Intercept's windows are calendar-aligned in UTC.
    public enum Window: String, Hashable, Sendable, CaseIterable {
        case minute, hour, day

        /// The window's length in seconds.
        public var seconds: Int64 {
            switch self {
            case .minute: 60
            case .hour: 3_600
            case .day: 86_400
            }
        }

        /// The same length as a Warden duration.
        public var wardenDuration: String {
            switch self {
            case .minute: "1m"
            case .hour: "1h"
            case .day: "1d"
            }
        }
    }

    /// A rule's `state:` block: a counter increased by each allowed call of the tool (or, for `"*"`, of every tool).
    public struct Counter: Hashable, Sendable {
        public var name: String
        public var window: Window
        /// Added per allowed call when `incrementFrom` is nil; Intercept reads 0 or a missing value as 1.
        public var increment: Int
        /// `args.…` path whose value is added instead of `increment`.
        public var incrementFrom: String?
        public var position: SourcePosition
    }

    /// One `{path, op, value}` condition.
    public struct Condition: Hashable, Sendable {
        public var path: String
        public var op: String
        public var value: JSONValue
        public var position: SourcePosition

        /// For a `state.SCOPE.COUNTER` path, the scope and the counter; nil for `args.` paths.
        public var counterReference: (scope: String, counter: String)? {
            guard path.hasPrefix("state.") else { return nil }
            let parts = path.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            return (String(parts[1]), String(parts[2]))
        }
    }

    /// One rule of a tool: `action: deny`, or `evaluate` with conditions that must all hold.
    public struct Rule: Hashable, Sendable {
        public var name: String
        public var isDeny: Bool
        public var conditions: [Condition]
        public var onDeny: String?
        public var counter: Counter?
        /// The `rate_limit:` text this rule was expanded from, if it was written that way.
        public var rateLimit: String?
        public var position: SourcePosition
    }

    /// A key Intercept's loader skips without a word (it reads YAML leniently), kept to say so.
    public struct IgnoredKey: Hashable, Sendable {
        public var key: String
        public var position: SourcePosition
    }

    /// One entry of `tools:`.
    public struct Tool: Hashable, Sendable {
        public var name: String
        public var rules: [Rule]
        public var position: SourcePosition

        /// Whether this is the `"*"` entry, whose rules apply to every call.
        public var isWildcard: Bool { name == "*" }

        /// The scope its counters are read under in `state.SCOPE.COUNTER` paths.
        public var counterScope: String { isWildcard ? "_global" : name }
    }

    public var description: String?
    /// `default: deny`: tools not listed under `tools` are refused.
    public var denyByDefault: Bool
    public var hide: [String]
    /// The `tools:` entries in file order, the `"*"` entry included.
    public var tools: [Tool]
    /// Keys Intercept does not know, which it ignores, with where they are.
    public var ignoredKeys: [IgnoredKey]
    public var fileName: String

    /// The entry for `name` exactly, if listed.
    public func tool(named name: String) -> Tool? {
        tools.first { $0.name == name }
    }

    /// The `"*"` entry, if any.
    public var wildcard: Tool? { tool(named: "*") }
}
