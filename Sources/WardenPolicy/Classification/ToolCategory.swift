/// What kind of thing a tool does, so rules can treat all destructive or financial tools alike.
public struct ToolCategory: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable {
        case read, write, execute, destructive, financial, other
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// Looks at data without changing it.
    public static let read = ToolCategory(.read)
    /// Creates or changes data, or sends it somewhere.
    public static let write = ToolCategory(.write)
    /// Runs code, commands or jobs.
    public static let execute = ToolCategory(.execute)
    /// Deletes or destroys data.
    public static let destructive = ToolCategory(.destructive)
    /// Moves money.
    public static let financial = ToolCategory(.financial)
    /// Nothing in the name says what it does.
    public static let other = ToolCategory(.other)

    /// Every category, in the order the docs list them.
    public static let all: [ToolCategory] = [.read, .write, .execute, .destructive, .financial, .other]

    /// Reads the spelling used in policy files.
    public init?(name: String) {
        guard let base = Base(rawValue: name) else { return nil }
        self.base = base
    }

    /// The spelling used in policy files.
    public var description: String { base.rawValue }
}
