import PostgresNIO
public import WardenPolicy

/// Running replicas in PostgreSQL: what `warden status` lists, and how a replica tells a live peer's held calls and
/// reservations from those of a replica that died (its heartbeat stops).
public final class PostgresInstanceRegistry: InstanceRegistry {
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    public func register(_ instance: InstanceRecord) throws(StoreError) {
        try database.run(.cannotWrite) { session in
            try session.execute(
                """
                INSERT INTO warden_instances (id, pid, mode, server, started_ms, heartbeat_ms)
                VALUES (\(instance.id), \(Int(instance.pid)), \(instance.mode), \(instance.server),
                    \(instance.startedAt.millisecondsSinceEpoch), \(instance.heartbeatAt.millisecondsSinceEpoch))
                ON CONFLICT (id) DO UPDATE SET pid = EXCLUDED.pid, mode = EXCLUDED.mode, server = EXCLUDED.server,
                    started_ms = EXCLUDED.started_ms, heartbeat_ms = EXCLUDED.heartbeat_ms
                """
            )
        }
    }

    public func heartbeat(id: String, at time: Timestamp) throws(StoreError) {
        try database.run(.cannotWrite) { session in
            try session.execute("UPDATE warden_instances SET heartbeat_ms = \(time.millisecondsSinceEpoch) WHERE id = \(id)")
        }
    }

    public func unregister(id: String) throws(StoreError) {
        try database.run(.cannotWrite) { session in
            try session.execute("DELETE FROM warden_instances WHERE id = \(id)")
        }
    }

    public func instances(aliveSince time: Timestamp) throws(StoreError) -> [InstanceRecord] {
        try database.run(.cannotRead) { session in
            try session.rows(
                """
                SELECT id, pid, mode, server, started_ms, heartbeat_ms FROM warden_instances
                WHERE heartbeat_ms >= \(time.millisecondsSinceEpoch) ORDER BY started_ms, id
                """
            ).map { row in
                let (id, pid, mode, server, started, heartbeat) = try row.decode((String, Int, String, String?, Int64, Int64).self)
                return InstanceRecord(
                    id: id, pid: Int32(truncatingIfNeeded: pid), mode: mode, server: server,
                    startedAt: Timestamp(millisecondsSinceEpoch: started), heartbeatAt: Timestamp(millisecondsSinceEpoch: heartbeat)
                )
            }
        }
    }
}
