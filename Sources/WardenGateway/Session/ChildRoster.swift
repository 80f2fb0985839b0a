import Synchronization
import WardenProxy

/// Every child process the gateway started, so that shutdown can stop each one and wait for it: a process must
/// not outlive the gateway (as an orphan under PID 1) just because it ignores its stdin closing.
final class ChildRoster: Sendable {
    private let children = Mutex<[StdioUpstream]>([])

    /// Adds a started child; those that have exited are let go on the way.
    func add(_ child: StdioUpstream) {
        children.withLock { children in
            children.removeAll { $0.hasExited }
            children.append(child)
        }
    }

    /// How many children are still running.
    var running: Int { children.withLock { $0.reduce(0) { $0 + ($1.hasExited ? 0 : 1) } } }

    /// Stops every child still running, all at once, each with the SIGTERM and SIGKILL escalation after `grace`.
    func stopAll(grace: Duration) async {
        let running = children.withLock { children in
            defer { children.removeAll() }
            return children.filter { !$0.hasExited }
        }
        await withTaskGroup(of: Void.self) { group in
            for child in running { group.addTask { await child.stop(grace: grace) } }
        }
    }
}
