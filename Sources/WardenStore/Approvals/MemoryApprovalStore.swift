public import WardenPolicy
import Synchronization

/// Approvals kept in memory: for tests and `--store memory:` (only this process can resolve them).
public final class MemoryApprovalStore: ApprovalStore {
    private let records = Mutex<[String: ApprovalRecord]>([:])

    public init() {}

    public func create(_ record: ApprovalRecord) throws(StoreError) {
        let isNew = records.withLock { records in
            guard records[record.id] == nil else { return false }
            records[record.id] = record
            return true
        }
        // As the SQLite store's primary key does: an id is never silently reused for another call.
        guard isNew else { throw StoreError(code: .cannotWrite, location: "memory:", message: "approval \(record.id) already exists") }
    }

    public func get(id: String) throws(StoreError) -> ApprovalRecord? {
        records.withLock { $0[id] }
    }

    public func list(states: [ApprovalState]?, limit: Int?) throws(StoreError) -> [ApprovalRecord] {
        let all = records.withLock { Array($0.values) }
        let chosen = all.filter { states?.contains($0.state) ?? true }.sorted { $0.createdAt > $1.createdAt }
        return limit.map { Array(chosen.prefix(max($0, 0))) } ?? chosen
    }

    public func resolve(id: String, to state: ApprovalState, by: String?, reason: String?, at time: Timestamp) throws(StoreError)
        -> ApprovalRecord?
    {
        records.withLock { records in
            guard var record = records[id] else { return nil }
            guard record.state == .pending, state != .pending else { return record }
            record.state = state
            record.resolvedAt = time
            record.resolvedBy = by
            record.resolutionReason = reason
            records[id] = record
            return record
        }
    }

    public func expireOrphans(at time: Timestamp, isOwnerAlive: (String) -> Bool) throws(StoreError) -> Int {
        records.withLock { records in
            var count = 0
            for (id, var record) in records {
                guard let reason = ApprovalRecord.orphanReason(record, at: time, isOwnerAlive: isOwnerAlive) else { continue }
                record.state = .expired
                record.resolvedAt = time
                record.resolvedBy = "warden"
                record.resolutionReason = reason
                records[id] = record
                count += 1
            }
            return count
        }
    }
}
