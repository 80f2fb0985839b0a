public import WardenPolicy

/// Everything wrong with a gateway config, each a coded error with its file, line and column.
public struct GatewayConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems in the order they were found; those of a policy the config names keep that file's positions.
    public var errors: [PolicyError]

    public init(errors: [PolicyError]) {
        self.errors = errors
    }

    /// One `file:line:col: message` line per problem.
    public var problems: [String] { errors.map(\.description) }

    public var description: String { problems.joined(separator: "\n") }
}
