import Foundation
import Synchronization

/// Waits for a child's exit on a thread of its own, since `waitpid` blocks.
public final class ChildExitWatcher: Sendable {
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    public init(child: ChildProcess) {
        // The thread ends when the child does; nothing else needs to cancel it.
        Thread.detachNewThread { [self] in
            let status = child.waitForExit()
            let waiters = self.state.withLock { value in
                value.status = status
                defer { value.waiters = [] }
                return value.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }
    }

    public var hasExited: Bool { state.withLock { $0.status != nil } }

    /// The child's exit status as a shell reports it, once it has exited.
    public func status() async -> Int32 {
        await withCheckedContinuation { continuation in
            let known = state.withLock { value -> Int32? in
                if let status = value.status { return status }
                value.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
