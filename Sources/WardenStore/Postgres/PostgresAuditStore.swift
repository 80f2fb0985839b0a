import PostgresNIO
public import WardenPolicy

/// The audit trail in PostgreSQL, one trail for every replica.
///
/// Replicas write it through ``JournaledAuditStore`` as with SQLite: a record is in this machine's journal before the
/// call is forwarded, and the journal's mover commits it here, many records a transaction. While PostgreSQL is down
/// the records wait in the journal and arrive, exactly once, when it is back.
public final class PostgresAuditStore: AuditJournalDestination {
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    static let columns = """
        id, time_ms, agent_id, session_id, client_name, client_version, protocol_revision, server, tool, request_id,
        decision, rule, reason, arguments_digest, arguments, outcome, decision_us, upstream_us
        """

    public func append(_ record: AuditRecord) throws(StoreError) -> Int64 {
        try database.run(.cannotWrite) { session in try Self.insert(record, in: session) }
    }

    public func recordOutcome(id: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?) throws(StoreError) {
        try database.run(.cannotWrite) { session in
            try session.execute(
                "UPDATE warden_audit SET outcome = \(outcome.description), upstream_us = \(upstreamMicroseconds) WHERE id = \(id)"
            )
        }
    }

    private static func insert(_ record: AuditRecord, in session: PostgresSession) throws -> Int64 {
        let row = try session.rows(
            """
            INSERT INTO warden_audit (time_ms, agent_id, session_id, client_name, client_version, protocol_revision, server,
                tool, request_id, decision, rule, reason, arguments_digest, arguments, outcome, decision_us, upstream_us)
            VALUES (\(record.time.millisecondsSinceEpoch), \(record.agentID), \(record.sessionID), \(record.clientName),
                \(record.clientVersion), \(record.protocolRevision), \(record.server), \(record.tool), \(record.requestID),
                \(record.decision.description), \(record.rule), \(record.reason), \(record.argumentsDigest),
                \(record.arguments), \(record.outcome?.description), \(record.decisionMicroseconds),
                \(record.upstreamMicroseconds))
            RETURNING id
            """
        )
        return try row.first?.decode(Int64.self) ?? 0
    }

    // MARK: Journals

    public func ingest(_ entries: [AuditJournalEntry], journal: String, readTo: Int, rows: inout [UInt64: Int64]) throws(StoreError) {
        let before = rows
        rows = try database.transaction(.cannotWrite) { session in
            var rows = before
            for entry in entries {
                switch entry {
                case .decision(let handle, let record):
                    rows[handle] = try Self.insert(record, in: session)
                case .outcome(let handle, let sessionID, let requestID, let outcome, let micros):
                    if let row = rows.removeValue(forKey: handle) {
                        try session.execute(
                            "UPDATE warden_audit SET outcome = \(outcome.description), upstream_us = \(micros) WHERE id = \(row)"
                        )
                    } else {
                        try session.execute(
                            """
                            UPDATE warden_audit SET outcome = \(outcome.description), upstream_us = \(micros) WHERE id = (
                                SELECT id FROM warden_audit WHERE session_id = \(sessionID)
                                AND request_id IS NOT DISTINCT FROM \(requestID) AND outcome IS NULL ORDER BY id DESC LIMIT 1)
                            """
                        )
                    }
                }
            }
            try session.execute(
                """
                INSERT INTO warden_audit_journals (name, read_to) VALUES (\(journal), \(readTo))
                ON CONFLICT (name) DO UPDATE SET read_to = EXCLUDED.read_to
                """
            )
            return rows
        }
    }

    public func journalReadTo(_ journal: String) throws(StoreError) -> Int {
        try database.run(.cannotRead) { session in
            try session.rows("SELECT read_to FROM warden_audit_journals WHERE name = \(journal)").first?.decode(Int.self) ?? 0
        }
    }

    public func forgetJournal(_ journal: String) throws(StoreError) {
        try database.run(.cannotWrite) { session in
            try session.execute("DELETE FROM warden_audit_journals WHERE name = \(journal)")
        }
    }

    // MARK: Reading

    public func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] {
        let since = filter.since?.millisecondsSinceEpoch
        let until = filter.until?.millisecondsSinceEpoch
        let decision = filter.decision?.description
        let limit = filter.limit.map { max($0, 0) } ?? Int(Int32.max)
        return try database.run(.cannotRead) { session in
            try session.rows(
                """
                SELECT \(unescaped: Self.columns) FROM warden_audit
                WHERE (\(since)::BIGINT IS NULL OR time_ms >= \(since)) AND (\(until)::BIGINT IS NULL OR time_ms <= \(until))
                AND (\(filter.agentID)::TEXT IS NULL OR agent_id = \(filter.agentID))
                AND (\(filter.tool)::TEXT IS NULL OR tool = \(filter.tool))
                AND (\(decision)::TEXT IS NULL OR decision = \(decision))
                AND (\(filter.rule)::TEXT IS NULL OR rule = \(filter.rule))
                AND (\(filter.afterID)::BIGINT IS NULL OR id > \(filter.afterID))
                ORDER BY id DESC LIMIT \(limit)
                """
            ).reversed().map(Self.record)
        }
    }

    public func prune(before time: Timestamp) throws(StoreError) -> Int {
        try database.run(.cannotWrite) { session in
            try session.changes("DELETE FROM warden_audit WHERE time_ms < \(time.millisecondsSinceEpoch)")
        }
    }

    public func summary(since time: Timestamp) throws(StoreError) -> AuditSummary {
        let refusals = AuditDecision.all.filter(\.isRefusal).map(\.description)
        let since = time.millisecondsSinceEpoch
        return try database.run(.cannotRead) { session in
            var summary = AuditSummary(since: time)
            for row in try session.rows("SELECT decision, COUNT(*) FROM warden_audit WHERE time_ms >= \(since) GROUP BY decision") {
                let (decision, count) = try row.decode((String, Int).self)
                summary.byDecision[AuditDecision(stored: decision), default: 0] += count
                summary.total += count
            }
            summary.topDenyingRules = try session.rows(
                """
                SELECT rule, COUNT(*) AS n FROM warden_audit
                WHERE time_ms >= \(since) AND rule IS NOT NULL AND decision = ANY(\(refusals))
                GROUP BY rule ORDER BY n DESC, rule ASC LIMIT \(AuditSummary.topRuleCount)
                """
            ).map { row in
                let (rule, count) = try row.decode((String, Int).self)
                return AuditSummary.RuleCount(rule: rule, count: count)
            }
            return summary
        }
    }

    private static func record(_ row: PostgresRow) throws -> AuditRecord {
        let (id, time, agent, session, clientName, clientVersion, revision, server, tool, requestID, decision, rule, reason,
            digest, arguments, outcome, decisionMicros, upstreamMicros) = try row.decode(
            (Int64, Int64, String?, String, String?, String?, String?, String?, String, String?, String, String?, String?,
                String?, String?, String?, Int?, Int?).self
        )
        return AuditRecord(
            id: id,
            time: Timestamp(millisecondsSinceEpoch: time),
            agentID: agent,
            sessionID: session,
            clientName: clientName,
            clientVersion: clientVersion,
            protocolRevision: revision,
            server: server,
            tool: tool,
            requestID: requestID,
            decision: AuditDecision(stored: decision),
            rule: rule,
            reason: reason,
            argumentsDigest: digest,
            arguments: arguments,
            outcome: outcome.map(AuditOutcome.init(stored:)),
            decisionMicroseconds: decisionMicros,
            upstreamMicroseconds: upstreamMicros
        )
    }
}
