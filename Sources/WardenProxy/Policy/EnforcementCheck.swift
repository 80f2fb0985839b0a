public import WardenPolicy

/// Finds what a policy asks for that this build of the proxy cannot yet enforce.
///
/// A security rule that is parsed but silently ignored is worse than none: the proxy refuses to start with
/// such a policy and says which line to change.
public enum EnforcementCheck {
    /// One problem per unenforceable setting, as `file:line:col: message`.
    public static func problems(in policy: Policy) -> [String] {
        // Everything the policy language has is enforced by this build; the check stays for what comes next.
        []
    }
}
