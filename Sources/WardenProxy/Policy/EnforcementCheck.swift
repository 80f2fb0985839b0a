public import WardenPolicy

/// Finds what a policy asks for that this build of the proxy cannot yet enforce.
///
/// A security rule that is parsed but silently ignored is worse than none: the proxy refuses to start with
/// such a policy and says which line to change.
public enum EnforcementCheck {
    /// One problem per unenforceable setting, as `file:line:col: message`.
    public static func problems(in policy: Policy) -> [String] {
        var problems: [String] = []
        if policy.defaultAction == .requireApproval {
            problems.append("\(policy.fileName): `default: require_approval` needs human approval, which `warden run` cannot do yet")
        }
        for rule in policy.rules {
            if rule.action == .requireApproval || rule.approval != nil {
                problems.append("\(rule.position): rule \"\(rule.name)\": require_approval is not enforced yet by this version of Warden")
            }
        }
        return problems
    }
}
