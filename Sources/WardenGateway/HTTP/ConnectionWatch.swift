import Hummingbird
import NIOCore
import Synchronization

/// Runs a request's handler until it answers or its client hangs up, whichever comes first.
///
/// A POST waits for its answer before it writes a head, and the HTTP server does not cancel a handler whose client
/// left: without this, a call the server never answers would keep its response (and its session) waiting forever.
/// Cancelled, the handler's wait ends and the session learns that nobody waits for that answer any more.
enum ConnectionWatch {
    /// Opens when the current request's client hangs up; set by `GuardedHTTP1Channel` for the connection's task.
    @TaskLocal static var hangUp: Gate?

    static func respond(_ handler: @escaping @Sendable () async -> Response) async -> Response {
        guard let hangUp else { return await handler() }
        let answered = Gate()
        return await withTaskGroup(of: Response?.self) { group in
            group.addTask { await handler() }
            group.addTask {
                // Whichever comes first: the client hangs up, or the handler answered and this task is let go.
                await withTaskGroup(of: Void.self) { either in
                    either.addTask { await hangUp.wait() }
                    either.addTask { await answered.wait() }
                    await either.next()
                    either.cancelAll()
                }
                return nil
            }
            while let finished = await group.next() {
                if let response = finished {
                    answered.open()
                    return response
                }
                // The connection closed first: the handler ends with what it has, and nobody reads it.
                group.cancelAll()
            }
            return Response(status: .serviceUnavailable)
        }
    }

    /// A one-way latch: `wait` returns once `open` was called, before or after, or once the waiting task is cancelled.
    final class Gate: Sendable {
        private struct State {
            var isOpen = false
            var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
            var nextWaiter = 0
        }

        private let state = Mutex(State())

        func open() {
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.isOpen = true
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume() }
        }

        func wait() async {
            let number = state.withLock { state -> Int in
                defer { state.nextWaiter += 1 }
                return state.nextWaiter
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.isOpen || Task.isCancelled { return true }
                        state.waiters[number] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                state.withLock { $0.waiters.removeValue(forKey: number) }?.resume()
            }
        }
    }
}
