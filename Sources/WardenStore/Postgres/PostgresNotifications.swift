import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Wakes waiters in this process when another replica announces a change with `NOTIFY channel, 'key'`.
///
/// One connection per channel LISTENs, started by the first waiter and kept for the process's life; when it drops
/// it reconnects after a second. Waiting is always bounded by the caller's interval, so a notification lost while
/// the connection was down costs one polling interval, never a stuck call: polling is the fallback, LISTEN the
/// fast path.
final class PostgresNotifications: Sendable {
    let database: PostgresDatabase
    let channel: String
    private let state = Mutex(State())

    private struct State {
        var started = false
        var listening = false
        var nextToken: UInt64 = 0
        var waiters: [String: [UInt64: CheckedContinuation<Void, Never>]] = [:]
        var handlers: [@Sendable (String) -> Void] = []
    }

    init(database: PostgresDatabase, channel: String) {
        self.database = database
        self.channel = channel
    }

    /// Whether the LISTEN connection is up (tests and `/readyz` may ask).
    var isListening: Bool { state.withLock { $0.listening } }

    /// Returns when `key` is announced, after `duration`, or when the task is cancelled (then it throws).
    func wait(for key: String, upTo duration: Duration) async throws {
        startIfNeeded()
        let token = state.withLock { state in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                state.withLock { $0.waiters[key, default: [:]][token] = continuation }
                Task {
                    try? await Task.sleep(for: duration)
                    self.resume(key: key, token: token)
                }
            }
        } onCancel: {
            self.resume(key: key, token: token)
        }
        try Task.checkCancellation()
    }

    /// Calls `handler` with the payload of every notification from now on, for the process's life.
    func onEvery(_ handler: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.handlers.append(handler) }
        startIfNeeded()
    }

    /// Wakes every waiter for `key`, and tells every handler.
    func wake(_ key: String) {
        for handler in state.withLock({ $0.handlers }) { handler(key) }
        let waiting = state.withLock { $0.waiters.removeValue(forKey: key) } ?? [:]
        for continuation in waiting.values { continuation.resume() }
    }

    private func resume(key: String, token: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            let removed = state.waiters[key]?.removeValue(forKey: token)
            if state.waiters[key]?.isEmpty == true { state.waiters[key] = nil }
            return removed
        }
        continuation?.resume()
    }

    private func startIfNeeded() {
        let start = state.withLock { state in
            if state.started { return false }
            state.started = true
            return true
        }
        guard start else { return }
        Task.detached { [self] in await listenForever() }
    }

    private func listenForever() async {
        let channel = channel
        while true {
            do {
                let configuration = try database.location.configuration()
                let connection = try await PostgresConnection.connect(
                    on: database.eventLoop, configuration: configuration, id: 0, logger: database.logger
                ).get()
                do {
                    try await connection.listen(on: channel) { notifications in
                        state.withLock { $0.listening = true }
                        for try await notification in notifications { wake(notification.payload) }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                // Reconnected below; waiters poll meanwhile.
            }
            state.withLock { $0.listening = false }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
