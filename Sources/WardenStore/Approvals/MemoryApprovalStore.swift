public import WardenPolicy
import Synchronization

/// Approvals kept in memory: for tests and `--store memory:` (only this process can resolve them).
public final class MemoryApprovalStore: ApprovalStore {
    private let records = Mutex<[String: ApprovalRecord]>([:])

    public init() {}

    public func create(_ record: ApprovalRecord) throws(StoreError) {
        records.withLock { $0[record.id] = record }
    }

    public func get(id: String) throws(StoreError) -> ApprovalRecord? {
        records.withLock { $0[id] }
    }

    public func list(states: [ApprovalState]?, limit: Int?) throws(StoreError) -> [ApprovalRecord] {
        let all = records.withLock { Array($0.values) }
        let chosen = all.filter { states?.contains($0.state) ?? true }.sorted { $0.createdAt > $1.createdAt }
        return limit.map { Array(chosen.prefix($0)) } ?? chosen
    }

    public func resolve(id: String, to state: ApprovalState, by: String?, reason: String?, at time: Timestamp) throws(StoreError)
        -> ApprovalRecord?
    {
        records.withLock { records in
            guard var record = records[id] else { return nil }
            guard record.state == .pending else { return record }
            record.state = state
            record.resolvedAt = time
            record.resolvedBy = by
            record.resolutionReason = reason
            records[id] = record
            return record
        }
    }

    public func expireOrphans(at time: Timestamp, isOwnerAlive: (String) -> Bool) throws(StoreError) -> Int {
        let orphans = records.withLock { records in
            records.values.filter { $0.state == .pending && ($0.expiresAt <= time || !isOwnerAlive($0.ownerInstance ?? "")) }.map(\.id)
        }
        for id in orphans { _ = try resolve(id: id, to: .expired, by: "warden", reason: "the proxy holding the call is gone", at: time) }
        return orphans.count
    }
}
