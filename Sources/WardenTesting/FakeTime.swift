import Synchronization
public import WardenPolicy

/// A clock that moves only when the code under test sleeps, with things scheduled to happen at given times.
///
/// The waiter's whole life (polls, timeout, a person deciding after a minute) plays out in microseconds.
public final class FakeTime: Sendable {
    private struct State {
        var now: Timestamp
        var sleeps: [Duration] = []
        var scheduled: [(at: Timestamp, action: @Sendable () -> Void)] = []
    }

    private let state: Mutex<State>

    public init(start: Timestamp) {
        state = Mutex(State(now: start))
    }

    public func now() -> Timestamp {
        state.withLock { $0.now }
    }

    /// Every sleep asked for, in order.
    public var sleeps: [Duration] {
        state.withLock { $0.sleeps }
    }

    /// Runs `action` when a sleep reaches `time`.
    public func at(_ time: Timestamp, _ action: @escaping @Sendable () -> Void) {
        state.withLock { $0.scheduled.append((time, action)) }
    }

    /// Moves the clock by `duration` and runs what became due, as a real sleep would have let happen.
    public func sleep(_ duration: Duration) {
        let due = state.withLock { state in
            state.now = state.now + duration
            state.sleeps.append(duration)
            let now = state.now
            let due = state.scheduled.filter { $0.at <= now }.map(\.action)
            state.scheduled.removeAll { $0.at <= now }
            return due
        }
        for action in due { action() }
    }
}
