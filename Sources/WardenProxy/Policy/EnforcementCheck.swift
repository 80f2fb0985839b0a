public import WardenPolicy

/// Finds what a policy asks for that this build of the proxy cannot yet enforce.
///
/// A security rule that is parsed but silently ignored is worse than none: the proxy refuses to start with
/// such a policy and says which line to change.
public enum EnforcementCheck {
    /// One problem per unenforceable setting, as `file:line:col: message`.
    public static func problems(in policy: Policy) -> [String] {
        var problems: [String] = []
        for rule in policy.rules {
            if let approval = rule.approval, !approval.approvers.isEmpty {
                problems.append(
                    "\(rule.approvalPosition ?? rule.position): rule \"\(rule.name)\": `approvers` is not enforced yet "
                        + "(anyone who can write the store may approve); remove it"
                )
            }
        }
        return problems
    }
}
