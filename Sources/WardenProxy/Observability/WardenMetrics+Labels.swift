/// The bounded vocabularies that label values are drawn from.
extension WardenMetrics {
    /// The `tool` label of calls to tools the upstream did not list.
    public static let unlistedTool = "(unlisted)"
    /// The `tool` label of listed tools past ``maxToolLabels``.
    public static let otherTool = "(other)"

    /// The `decision` label values; any other decision is counted as `other`.
    public static let decisions: Set<String> = Set(
        [
            DecisionRecord.Outcome.allowed, .denied, .hidden, .rateLimited, .budgetExceeded, .invalid,
            .approvalPending, .approvalApproved, .approvalDenied, .approvalExpired,
        ].map(\.description)
    )

    /// The `outcome` label values of upstream answers; any other outcome is counted as `other`.
    public static let upstreamOutcomes: Set<String> = ["result", "tool_error", "rpc_error", "timeout", "dead"]

    static func decisionLabel(_ decision: String) -> String {
        decisions.contains(decision) ? decision : "other"
    }

    static func outcomeLabel(_ outcome: String) -> String {
        upstreamOutcomes.contains(outcome) ? outcome : "other"
    }
}
