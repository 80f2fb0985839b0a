import Foundation
import PostgresNIO
import Synchronization
public import WardenPolicy

/// Limits counted in PostgreSQL, exactly across every replica that shares the database.
///
/// **How a reservation stays exact.** `reserve` is one short transaction of four round trips: `BEGIN`; the function
/// `warden_limit_prepare` (schema step 2), which takes a transaction-level advisory lock per key (in key order, so two
/// reservations never wait for each other in a cycle), deletes the keys' entries whose window has passed and returns
/// what is left summed per key, cost and state; an `INSERT` of the call's rows if it fits; `COMMIT`. Between the two,
/// the sums are replayed into a fresh ``LimitLedger``, which decides — the same code that decides in one process.
/// Each row is a count of equal costs, summed in exact billionths and placed at its latest entry's time, so the sums
/// never count less than the entries would one by one: an admission from them is one the entries give too. A
/// refusal is decided again from the entries one by one, which also says when the call would fit. The rows are
/// inserted before the lock is released, so replicas decide one at a time per key, each from the whole fleet's
/// entries, and no replica's memory is ever the authority: a replica keeps only the map from its reservation ids to
/// rows.
///
/// A reserved call is a row with no `forwarded_at`; it counts in every window, as in one process, until it is
/// forwarded (`forwarded_at` set, then it slides out of the window) or rolled back (deleted). A replica that dies
/// with reservations pending leaves rows that would count forever, so a reservation deletes the pending rows of an
/// owner whose heartbeat in `warden_instances` is older than a minute, or that never registered and reserved them
/// over a day ago.
public actor PostgresLimitStore: LimitStore {
    let database: PostgresDatabase
    let owner: String
    private var rows: [ReservationID: String] = [:]
    private var nextID: UInt64 = 1

    init(database: PostgresDatabase, owner: String = StoreOwner.current) {
        self.database = database
        self.owner = owner
    }

    public func reserve(_ requests: [LimitRequest], at now: Timestamp) async throws -> LimitVerdict {
        let binding = requests.filter(\.binds)
        guard !binding.isEmpty else { return admit(row: nil) }
        let reservation = UUID().uuidString.lowercased()
        let owner = owner
        let admitted = try await database.perform(.cannotWrite) { session in
            try Self.reserve(requests, binding: binding, reservation: reservation, owner: owner, at: now, in: session)
        }
        guard case .admitted = admitted else { return admitted }
        return admit(row: reservation)
    }

    public func forwarded(_ id: ReservationID, at now: Timestamp) async throws {
        guard let row = rows[id] else { return }
        let time = now.millisecondsSinceEpoch
        try await database.perform(.cannotWrite) { session in
            try session.execute("UPDATE warden_limit_entries SET forwarded_at = \(time) WHERE reservation = \(row)")
        }
    }

    public func commit(_ id: ReservationID) async throws {
        rows[id] = nil
    }

    public func rollback(_ id: ReservationID) async throws {
        guard let row = rows[id] else { return }
        try await database.perform(.cannotWrite) { session in
            try session.execute("DELETE FROM warden_limit_entries WHERE reservation = \(row)")
        }
        rows[id] = nil
    }

    private func admit(row: String?) -> LimitVerdict {
        let id = ReservationID(rawValue: nextID)
        nextID += 1
        if let row { rows[id] = row }
        return .admitted(id)
    }

    /// The transaction: lock, prune and sum (one call), decide, insert.
    private static func reserve(
        _ requests: [LimitRequest],
        binding: [LimitRequest],
        reservation: String,
        owner: String,
        at now: Timestamp,
        in session: PostgresSession
    ) throws -> LimitVerdict {
        let keys = Array(Set(binding.map(\.key))).sorted()
        let time = now.millisecondsSinceEpoch
        let staleHeartbeat = time - 60_000
        let staleReservation = time - 86_400_000
        try session.execute("BEGIN")
        let summed = try session.rows(
            "SELECT * FROM warden_limit_prepare(\(keys), \(time), \(owner), \(staleHeartbeat), \(staleReservation))"
        )
        var verdict = try decide(requests, from: summed, at: now)
        if case .refused = verdict {
            // The sums decide, but only the entries one by one say when the call would fit; the keys are still locked.
            let entries = try session.rows(
                "SELECT key, cost, window_ms, forwarded_at, 1::int8 FROM warden_limit_entries WHERE key = ANY(\(keys)) ORDER BY id"
            )
            verdict = try decide(requests, from: entries, at: now)
        }
        if case .admitted = verdict {
            let windows = binding.map(\.window.wholeMilliseconds)
            try session.execute(
                """
                INSERT INTO warden_limit_entries (key, reservation, cost, window_ms, reserved_at, owner)
                SELECT key, \(reservation), cost, window_ms, \(time), \(owner)
                FROM unnest(\(binding.map(\.key))::text[], \(binding.map(\.cost))::float8[], \(windows)::int8[]) AS r(key, cost, window_ms)
                """
            )
        }
        // On an error the connection is closed on the way out (it saw one), which rolls the transaction back; a
        // ROLLBACK could wait as long again on a server that stopped answering.
        try session.execute("COMMIT")
        return verdict
    }

    /// Replays rows of (key, cost, window, forward time or null for pending, count) into a fresh ledger and asks it.
    private static func decide(_ requests: [LimitRequest], from rows: [PostgresRow], at now: Timestamp) throws -> LimitVerdict {
        var ledger = LimitLedger()
        var pending: [(LimitRequest, Int64)] = []
        for row in rows {
            // A row of another shape would stop the process in the decoder: a schema changed by hand is an error.
            guard row.count == 5 else {
                throw StoreError(
                    code: .cannotRead, location: "",
                    message: "warden_limit_prepare returned \(row.count) columns, not 5: the database's Warden schema was changed by hand"
                )
            }
            let (key, cost, window, forwardedAt, count) = try row.decode((String, Double, Int64, Int64?, Int64).self)
            if let forwardedAt {
                let entry = LimitEntry(key: key, time: Timestamp(millisecondsSinceEpoch: forwardedAt), cost: cost, window: .milliseconds(window))
                ledger.restore(entry, count: Int(count))
            } else {
                pending.append((LimitRequest(key: key, max: Self.unbound, window: .milliseconds(window), cost: cost), count))
            }
        }
        for (request, count) in pending {
            for _ in 0..<count { _ = ledger.reserve([request], at: now) }
        }
        return ledger.reserve(requests, at: now)
    }

    /// A `max` that binds (below the ledger's 10²⁰ "never binds" line) yet never refuses: how a pending row of
    /// another replica is replayed as pending.
    static let unbound = 1e19
}

extension LimitRequest {
    /// Whether the request can ever refuse a call and so reserves anything: a finite `max` the ledger binds, and a
    /// positive cost. The ledger skips the others; so does the store.
    var binds: Bool {
        max.isFinite && max < 1e20 && !(cost <= 0)
    }
}
