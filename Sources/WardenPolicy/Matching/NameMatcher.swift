public import WardenJSON

/// Matches a name against a list of exact names and globs, checking the exact names with one hash lookup.
///
/// Names compare by Unicode scalars, as the server compares them: a decomposed `cafe\u{301}` is not the tool
/// `café` (which `String ==` would say it is), so an allow rule for one never lets a call to the other through.
public struct NameMatcher: Hashable, Sendable {
    /// The names without wildcards.
    public let exact: Set<ScalarKey>
    /// The patterns with wildcards, in the order written.
    public let globs: [Glob]

    /// Sorts `patterns` into exact names and globs.
    public init(_ patterns: [String]) {
        var exact: Set<ScalarKey> = []
        var globs: [Glob] = []
        for pattern in patterns {
            if Glob.isPattern(pattern) {
                globs.append(Glob(pattern))
            } else {
                exact.insert(ScalarKey(pattern))
            }
        }
        self.exact = exact
        self.globs = globs
    }

    public var isEmpty: Bool { exact.isEmpty && globs.isEmpty }

    /// Whether `name` equals one of the exact names or matches one of the globs.
    public func matches(_ name: String) -> Bool {
        if !exact.isEmpty, exact.contains(ScalarKey(name)) { return true }
        for glob in globs where glob.matches(name) { return true }
        return false
    }
}
