import PostgresNIO
import WardenJSON
public import WardenPolicy

/// Held calls in PostgreSQL: created by the replica holding the call, decided through any replica or terminal.
///
/// A decision is a compare-and-set (`UPDATE … WHERE state = 'pending'`) followed by `NOTIFY warden_approvals, id`,
/// so the replica holding the call wakes at once; it also reads the record every poll interval, in case the
/// notification was lost with its LISTEN connection.
public final class PostgresApprovalStore: ApprovalStore {
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    static let columns = """
        id, created_ms, expires_ms, agent_id, session_id, server, tool, arguments, arguments_digest, rule, reason, state,
        resolved_ms, resolved_by, resolution_reason, owner_instance, approvers
        """

    public func create(_ record: ApprovalRecord) throws(StoreError) {
        let approvers = record.approvers.isEmpty ? nil : JSONValue.array(record.approvers.map { .string($0) }).encodedString
        try database.run(.cannotWrite) { session in
            try session.execute(
                """
                INSERT INTO warden_approvals (id, created_ms, expires_ms, agent_id, session_id, server, tool, arguments,
                    arguments_digest, rule, reason, state, resolved_ms, resolved_by, resolution_reason, owner_instance, approvers)
                VALUES (\(record.id), \(record.createdAt.millisecondsSinceEpoch), \(record.expiresAt.millisecondsSinceEpoch),
                    \(record.agentID), \(record.sessionID), \(record.server), \(record.tool), \(record.arguments),
                    \(record.argumentsDigest), \(record.rule), \(record.reason), \(record.state.description),
                    \(record.resolvedAt?.millisecondsSinceEpoch), \(record.resolvedBy), \(record.resolutionReason),
                    \(record.ownerInstance), \(approvers ?? ""))
                """
            )
        }
    }

    public func get(id: String) throws(StoreError) -> ApprovalRecord? {
        try database.run(.cannotRead) { session in
            try session.rows("SELECT \(unescaped: Self.columns) FROM warden_approvals WHERE id = \(id)")
                .first.map(Self.record)
        }
    }

    public func list(states: [ApprovalState]?, limit: Int?) throws(StoreError) -> [ApprovalRecord] {
        let names = states?.map(\.description)
        let limit = limit ?? Int(Int32.max)
        return try database.run(.cannotRead) { session in
            try session.rows(
                """
                SELECT \(unescaped: Self.columns) FROM warden_approvals WHERE (\(names == nil) OR state = ANY(\(names ?? [])))
                ORDER BY created_ms DESC LIMIT \(limit)
                """
            ).map(Self.record)
        }
    }

    public func resolve(id: String, to state: ApprovalState, by: String?, reason: String?, at time: Timestamp) throws(StoreError)
        -> ApprovalRecord?
    {
        let record = try database.run(.cannotWrite) { session -> ApprovalRecord? in
            if state != .pending {
                let changed = try session.changes(
                    """
                    UPDATE warden_approvals SET state = \(state.description), resolved_ms = \(time.millisecondsSinceEpoch),
                        resolved_by = \(by), resolution_reason = \(reason)
                    WHERE id = \(id) AND state = 'pending'
                    """
                )
                if changed > 0 { try session.execute("SELECT pg_notify('warden_approvals', \(id))") }
            }
            return try session.rows("SELECT \(unescaped: Self.columns) FROM warden_approvals WHERE id = \(id)")
                .first.map(Self.record)
        }
        return record
    }

    /// Expires pending records past their expiry, or held by a replica whose heartbeat stopped a minute ago (or that
    /// never registered and is not this process). `isOwnerAlive` is not used: it can only see this machine's processes.
    public func expireOrphans(at time: Timestamp, isOwnerAlive: (String) -> Bool) throws(StoreError) -> Int {
        let alive = try liveInstances(at: time)
        let pending = try list(states: [.pending], limit: nil)
        var count = 0
        for record in pending {
            guard let reason = ApprovalRecord.orphanReason(record, at: time, isOwnerAlive: { alive.contains($0) }) else { continue }
            let changed = try database.run(.cannotWrite) { session in
                try session.changes(
                    """
                    UPDATE warden_approvals SET state = 'expired', resolved_ms = \(time.millisecondsSinceEpoch),
                        resolved_by = 'warden', resolution_reason = \(reason)
                    WHERE id = \(record.id) AND state = 'pending'
                    """
                )
            }
            count += changed
        }
        return count
    }

    public func waitForChange(of id: String, upTo duration: Duration) async throws {
        try await database.approvalChanges.wait(for: id, upTo: duration)
    }

    private func liveInstances(at time: Timestamp) throws(StoreError) -> Set<String> {
        let since = time.millisecondsSinceEpoch - 60_000
        let ids = try database.run(.cannotRead) { session in
            try session.rows("SELECT id FROM warden_instances WHERE heartbeat_ms >= \(since)").map { try $0.decode(String.self) }
        }
        return Set(ids).union([StoreOwner.current])
    }

    private static func record(_ row: PostgresRow) throws -> ApprovalRecord {
        let (id, created, expires, agent, session, server, tool, arguments, digest, rule, reason, state, resolved, resolvedBy,
            resolution, owner, approvers) = try row.decode(
            (String, Int64, Int64, String?, String, String?, String, String?, String?, String?, String?, String, Int64?, String?,
                String?, String?, String?).self
        )
        return ApprovalRecord(
            id: id,
            createdAt: Timestamp(millisecondsSinceEpoch: created),
            expiresAt: Timestamp(millisecondsSinceEpoch: expires),
            agentID: agent,
            sessionID: session,
            server: server,
            tool: tool,
            arguments: arguments,
            argumentsDigest: digest,
            rule: rule,
            reason: reason,
            state: ApprovalState(name: state) ?? .expired,
            resolvedAt: resolved.map { Timestamp(millisecondsSinceEpoch: $0) },
            resolvedBy: resolvedBy,
            resolutionReason: resolution,
            ownerInstance: owner,
            approvers: approvers.flatMap { $0.isEmpty ? nil : try? JSONParser.parse($0) }?.arrayValue?.compactMap(\.stringValue) ?? []
        )
    }
}
