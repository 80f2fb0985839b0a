import Foundation
import PostgresNIO

/// The PostgreSQL schema, as numbered steps applied in order and recorded in `warden_schema`.
///
/// Replicas that start at once take one session-level advisory lock around the whole migration, so exactly one
/// applies each step and the others find it done. A step is never edited once released: a change is a new step.
enum PostgresMigrations {
    /// The advisory lock's key: any constant no other application on the database uses ("warden" in ASCII).
    static let lockKey: Int64 = 0x7761_7264_656E

    static let steps: [[String]] = [
        // 1: every table of the first release.
        [
            """
            CREATE TABLE warden_limit_entries (
            id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, reservation TEXT NOT NULL, cost DOUBLE PRECISION NOT NULL,
            window_ms BIGINT NOT NULL, reserved_at BIGINT NOT NULL, forwarded_at BIGINT, owner TEXT NOT NULL)
            """,
            """
            CREATE INDEX warden_limit_entries_by_key ON warden_limit_entries (key)
            """,
            """
            CREATE INDEX warden_limit_entries_by_reservation ON warden_limit_entries (reservation)
            """,
            """
            CREATE TABLE warden_approvals (
            id TEXT PRIMARY KEY, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, agent_id TEXT,
            session_id TEXT NOT NULL, server TEXT, tool TEXT NOT NULL, arguments TEXT, arguments_digest TEXT, rule TEXT,
            reason TEXT, state TEXT NOT NULL, resolved_ms BIGINT, resolved_by TEXT, resolution_reason TEXT,
            owner_instance TEXT, approvers TEXT NOT NULL DEFAULT '')
            """,
            """
            CREATE INDEX warden_approvals_by_state ON warden_approvals (state, created_ms)
            """,
            """
            CREATE TABLE warden_audit (
            id BIGSERIAL PRIMARY KEY, time_ms BIGINT NOT NULL, agent_id TEXT, session_id TEXT NOT NULL,
            client_name TEXT, client_version TEXT, protocol_revision TEXT, server TEXT, tool TEXT NOT NULL,
            request_id TEXT, decision TEXT NOT NULL, rule TEXT, reason TEXT, arguments_digest TEXT, arguments TEXT,
            outcome TEXT, decision_us BIGINT, upstream_us BIGINT)
            """,
            """
            CREATE INDEX warden_audit_by_time ON warden_audit (time_ms)
            """,
            """
            CREATE INDEX warden_audit_by_session ON warden_audit (session_id, request_id)
            """,
            """
            CREATE TABLE warden_audit_journals (name TEXT PRIMARY KEY, read_to BIGINT NOT NULL)
            """,
            """
            CREATE TABLE warden_instances (
            id TEXT PRIMARY KEY, pid INTEGER NOT NULL, mode TEXT NOT NULL, server TEXT, started_ms BIGINT NOT NULL,
            heartbeat_ms BIGINT NOT NULL)
            """,
            """
            CREATE TABLE warden_pins (
            server TEXT NOT NULL, tool TEXT NOT NULL, trusted_fingerprint TEXT, trusted_definition TEXT,
            pending_fingerprint TEXT, pending_definition TEXT, first_seen_ms BIGINT NOT NULL, changed_ms BIGINT,
            accepted_by TEXT, accepted_ms BIGINT, PRIMARY KEY (server, tool))
            """,
        ],
        // 2: a reservation's first part in one round trip (see PostgresLimitStore): lock the keys in the order given,
        // prune what can no longer count, and return the keys' entries summed: one row per key, cost, window and state
        // (forwarded or pending), with how many entries it stands for and the latest forward time among them.
        [
            """
            CREATE FUNCTION warden_limit_prepare(keys TEXT[], now_ms BIGINT, me TEXT, stale_heartbeat_ms BIGINT,
                stale_reservation_ms BIGINT)
            RETURNS TABLE (entry_key TEXT, entry_cost DOUBLE PRECISION, entry_window_ms BIGINT, entry_forwarded_at BIGINT,
                entry_count BIGINT)
            LANGUAGE plpgsql AS $$
            DECLARE
                k TEXT;
            BEGIN
                FOREACH k IN ARRAY keys LOOP
                    PERFORM pg_advisory_xact_lock(hashtextextended(k, 7));
                END LOOP;
                DELETE FROM warden_limit_entries e WHERE e.key = ANY(keys)
                    AND e.forwarded_at IS NOT NULL AND e.forwarded_at <= now_ms - e.window_ms;
                DELETE FROM warden_limit_entries e WHERE e.key = ANY(keys) AND e.forwarded_at IS NULL AND e.owner <> me
                    AND (EXISTS (SELECT 1 FROM warden_instances i WHERE i.id = e.owner AND i.heartbeat_ms < stale_heartbeat_ms)
                        OR (NOT EXISTS (SELECT 1 FROM warden_instances i WHERE i.id = e.owner)
                            AND e.reserved_at < stale_reservation_ms));
                RETURN QUERY SELECT e.key, e.cost, e.window_ms, MAX(e.forwarded_at), COUNT(*) FROM warden_limit_entries e
                    WHERE e.key = ANY(keys) GROUP BY e.key, e.cost, e.window_ms, e.forwarded_at IS NULL;
            END
            $$
            """,
        ],
    ]

    /// Applies the steps this database lacks, under the advisory lock.
    static func migrate(_ session: PostgresSession) throws {
        try session.execute("SELECT pg_advisory_lock(\(lockKey))")
        defer { try? session.execute("SELECT pg_advisory_unlock(\(lockKey))") }
        try session.execute("CREATE TABLE IF NOT EXISTS warden_schema (version INTEGER NOT NULL, applied_ms BIGINT NOT NULL)")
        let applied = try session.rows("SELECT COALESCE(MAX(version), 0) FROM warden_schema").first?.decode(Int.self) ?? 0
        guard applied <= steps.count else {
            throw StoreError(
                code: .cannotOpen,
                location: "",
                message: "the database's Warden schema is version \(applied), newer than this Warden knows (\(steps.count)); upgrade Warden"
            )
        }
        for (index, step) in steps.enumerated() where index + 1 > applied {
            let version = index + 1
            try session.execute("BEGIN")
            do {
                for statement in step { try session.execute(PostgresQuery(unsafeSQL: statement)) }
                let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
                try session.execute("INSERT INTO warden_schema (version, applied_ms) VALUES (\(version), \(now))")
                try session.execute("COMMIT")
            } catch {
                try? session.execute("ROLLBACK")
                throw error
            }
        }
    }
}

extension PostgresDatabase {
    /// The schema versions recorded in the database, in order: one row per step applied.
    func appliedMigrations() throws(StoreError) -> [Int] {
        try run(.cannotRead) { session in
            try session.rows("SELECT version FROM warden_schema ORDER BY version").map { try $0.decode(Int.self) }
        }
    }
}
