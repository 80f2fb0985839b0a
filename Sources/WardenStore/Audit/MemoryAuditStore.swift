import Synchronization
public import WardenPolicy

/// The audit trail in this process's memory: for tests and `--store memory:`, forgotten on exit.
public final class MemoryAuditStore: AuditStore {
    private struct State {
        var records: [AuditRecord] = []
        /// Ids keep increasing after a prune, as SQLite's AUTOINCREMENT does, so a follower never sees an id twice.
        var lastID: Int64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func append(_ record: AuditRecord) throws(StoreError) -> Int64 {
        state.withLock { state in
            state.lastID += 1
            var stored = record
            stored.id = state.lastID
            state.records.append(stored)
            return state.lastID
        }
    }

    public func recordOutcome(id: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?) throws(StoreError) {
        state.withLock { state in
            guard let index = state.records.firstIndex(where: { $0.id == id }) else { return }
            state.records[index].outcome = outcome
            state.records[index].upstreamMicroseconds = upstreamMicroseconds
        }
    }

    public func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] {
        let matching = state.withLock { $0.records.filter(filter.matches) }
        return filter.limit.map { Array(matching.suffix(max($0, 0))) } ?? matching
    }

    public func prune(before time: Timestamp) throws(StoreError) -> Int {
        state.withLock { state in
            let before = state.records.count
            state.records.removeAll { $0.time < time }
            return before - state.records.count
        }
    }

    public func summary(since time: Timestamp) throws(StoreError) -> AuditSummary {
        AuditSummary(since: time, records: state.withLock { $0.records.filter { $0.time >= time } })
    }
}
