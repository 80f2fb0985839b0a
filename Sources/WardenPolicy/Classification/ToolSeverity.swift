/// How much harm one call of a tool could do if an agent used it badly, from `low` to `critical`.
public enum ToolSeverity: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case low, medium, high, critical

    /// Reads the spelling used in policy files and reports.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = match
    }

    public var description: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }

    public static func < (lhs: ToolSeverity, rhs: ToolSeverity) -> Bool { lhs.rawValue < rhs.rawValue }
}
