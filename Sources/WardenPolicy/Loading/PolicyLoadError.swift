/// Every problem found in a policy file that could not be loaded, in the order they appear in the file.
///
/// Loading reports all of them at once, so fixing a policy takes one round trip rather than one per mistake.
public struct PolicyLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [PolicyError]

    public init(errors: [PolicyError]) {
        self.errors = errors
    }

    /// One `file:line:col: message` line per error.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
