import PostgresNIO
public import WardenPolicy

/// Tool-definition pins in PostgreSQL: a change seen by one replica is held on all, and an acceptance through any
/// replica (or `warden pins accept`) is the one every replica reads on its next check.
///
/// `observe` runs in one transaction under an advisory lock per server, so replicas listing the same server at once
/// take turns and leave one consistent pin, as the SQLite store does with its write lock.
public final class PostgresPinStore: PinStore {
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    static let columns = """
        server, tool, trusted_fingerprint, trusted_definition, pending_fingerprint, pending_definition, first_seen_ms,
        changed_ms, accepted_by, accepted_ms
        """

    public func observe(server: String, tools: [PinObservation], holdNew: Bool, at time: Timestamp) throws(StoreError)
        -> [PinVerdict]
    {
        try database.transaction(.cannotWrite) { session in
            try Self.lock(server, in: session)
            var verdicts: [PinVerdict] = []
            for observation in tools {
                let existing = try Self.fetch(server: server, tool: observation.tool, in: session)
                let (record, verdict) = PinRecord.observing(observation, server: server, existing: existing, holdNew: holdNew, at: time)
                if record != existing { try Self.save(record, in: session) }
                verdicts.append(verdict)
            }
            return verdicts
        }
    }

    public func list(server: String?) throws(StoreError) -> [PinRecord] {
        try database.run(.cannotRead) { session in
            try session.rows(
                """
                SELECT \(unescaped: Self.columns) FROM warden_pins WHERE (\(server)::TEXT IS NULL OR server = \(server))
                ORDER BY server, tool
                """
            ).map(Self.record)
        }
    }

    public func get(server: String, tool: String) throws(StoreError) -> PinRecord? {
        try database.run(.cannotRead) { session in try Self.fetch(server: server, tool: tool, in: session) }
    }

    public func accept(server: String, tool: String, by person: String, at time: Timestamp) throws(StoreError) -> PinRecord? {
        try database.transaction(.cannotWrite) { session in
            try Self.lock(server, in: session)
            guard let accepted = try Self.fetch(server: server, tool: tool, in: session)?.accepted(by: person, at: time) else {
                return nil
            }
            try Self.save(accepted, in: session)
            try session.execute("SELECT pg_notify('warden_pins', \(server))")
            return accepted
        }
    }

    public func acceptAll(server: String, by person: String, at time: Timestamp) throws(StoreError) -> [PinRecord] {
        try database.transaction(.cannotWrite) { session in
            try Self.lock(server, in: session)
            let held = try session.rows(
                """
                SELECT \(unescaped: Self.columns) FROM warden_pins WHERE server = \(server) AND pending_fingerprint IS NOT NULL
                ORDER BY tool
                """
            ).map(Self.record)
            let accepted = held.compactMap { $0.accepted(by: person, at: time) }
            for record in accepted { try Self.save(record, in: session) }
            if !accepted.isEmpty { try session.execute("SELECT pg_notify('warden_pins', \(server))") }
            return accepted
        }
    }

    private static func lock(_ server: String, in session: PostgresSession) throws {
        try session.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("pins:" + server), 7))")
    }

    private static func fetch(server: String, tool: String, in session: PostgresSession) throws -> PinRecord? {
        try session.rows("SELECT \(unescaped: columns) FROM warden_pins WHERE server = \(server) AND tool = \(tool)").first.map(record)
    }

    private static func save(_ record: PinRecord, in session: PostgresSession) throws {
        try session.execute(
            """
            INSERT INTO warden_pins (\(unescaped: columns))
            VALUES (\(record.server), \(record.tool), \(record.trustedFingerprint), \(record.trustedDefinition),
                \(record.pendingFingerprint), \(record.pendingDefinition), \(record.firstSeen.millisecondsSinceEpoch),
                \(record.changedAt?.millisecondsSinceEpoch), \(record.acceptedBy), \(record.acceptedAt?.millisecondsSinceEpoch))
            ON CONFLICT (server, tool) DO UPDATE SET trusted_fingerprint = EXCLUDED.trusted_fingerprint,
                trusted_definition = EXCLUDED.trusted_definition, pending_fingerprint = EXCLUDED.pending_fingerprint,
                pending_definition = EXCLUDED.pending_definition, first_seen_ms = EXCLUDED.first_seen_ms,
                changed_ms = EXCLUDED.changed_ms, accepted_by = EXCLUDED.accepted_by, accepted_ms = EXCLUDED.accepted_ms
            """
        )
    }

    private static func record(_ row: PostgresRow) throws -> PinRecord {
        let (server, tool, trusted, trustedDefinition, pending, pendingDefinition, firstSeen, changed, acceptedBy, accepted) =
            try row.decode((String, String, String?, String?, String?, String?, Int64, Int64?, String?, Int64?).self)
        return PinRecord(
            server: server,
            tool: tool,
            trustedFingerprint: trusted,
            trustedDefinition: trustedDefinition,
            pendingFingerprint: pending,
            pendingDefinition: pendingDefinition,
            firstSeen: Timestamp(millisecondsSinceEpoch: firstSeen),
            changedAt: changed.map { Timestamp(millisecondsSinceEpoch: $0) },
            acceptedBy: acceptedBy,
            acceptedAt: accepted.map { Timestamp(millisecondsSinceEpoch: $0) }
        )
    }
}
