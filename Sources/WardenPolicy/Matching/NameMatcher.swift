/// Matches a name against a list of exact names and globs, checking the exact names with one hash lookup.
public struct NameMatcher: Hashable, Sendable {
    /// The names without wildcards.
    public let exact: Set<String>
    /// The patterns with wildcards, in the order written.
    public let globs: [Glob]

    /// Sorts `patterns` into exact names and globs.
    public init(_ patterns: [String]) {
        var exact: Set<String> = []
        var globs: [Glob] = []
        for pattern in patterns {
            if Glob.isPattern(pattern) {
                globs.append(Glob(pattern))
            } else {
                exact.insert(pattern)
            }
        }
        self.exact = exact
        self.globs = globs
    }

    public var isEmpty: Bool { exact.isEmpty && globs.isEmpty }

    /// Whether `name` equals one of the exact names or matches one of the globs.
    public func matches(_ name: String) -> Bool {
        if exact.contains(name) { return true }
        for glob in globs where glob.matches(name) { return true }
        return false
    }
}
