import NIOCore
import Synchronization

/// The gateway's live sessions by id, and the shared sessions of stateless clients by server and agent.
final class SessionRegistry: Sendable {
    private struct State {
        var byID: [String: GatewaySession] = [:]
        var stateless: [String: GatewaySession] = [:]
    }

    private let state = Mutex(State())

    func session(id: String) -> GatewaySession? {
        state.withLock { $0.byID[id] }
    }

    func add(_ session: GatewaySession) {
        state.withLock { $0.byID[session.id] = session }
    }

    /// The stateless session for `key`, made by `make` when there is none yet.
    func stateless(key: String, make: () -> GatewaySession) -> GatewaySession {
        state.withLock { state in
            if let existing = state.stateless[key] { return existing }
            let session = make()
            state.stateless[key] = session
            return session
        }
    }

    @discardableResult
    func remove(id: String) -> GatewaySession? {
        state.withLock { state in
            if let session = state.byID.removeValue(forKey: id) { return session }
            if let key = state.stateless.first(where: { $0.value.id == id })?.key { return state.stateless.removeValue(forKey: key) }
            return nil
        }
    }

    var all: [GatewaySession] {
        state.withLock { Array($0.byID.values) + Array($0.stateless.values) }
    }

    var count: Int { state.withLock { $0.byID.count + $0.stateless.count } }
}
