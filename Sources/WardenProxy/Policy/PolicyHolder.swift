public import WardenPolicy
import Synchronization

/// The policy in force for a proxy, swapped whole when the file is reloaded.
///
/// Readers take the current compiled policy once per call, so a reload never changes the rules halfway
/// through a decision.
public final class PolicyHolder: Sendable {
    private let state: Mutex<CompiledPolicy>

    public init(_ policy: CompiledPolicy) {
        state = Mutex(policy)
    }

    /// The policy to decide the next call with.
    public var current: CompiledPolicy {
        state.withLock { $0 }
    }

    /// Puts `policy` in force for every call decided from now on.
    public func replace(with policy: CompiledPolicy) {
        state.withLock { $0 = policy }
    }
}
