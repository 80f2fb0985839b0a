import Foundation
import Testing
import WardenPolicy

@testable import WardenStore
import WardenTesting

/// Two replicas are two `PostgresDatabase`s on one database: separate pools, as separate processes would have.
func replica(_ url: String) throws -> PostgresDatabase {
    PostgresDatabase(location: try PostgresLocation(url: url))
}

@Suite("PostgreSQL limits", .serialized, .timeLimit(.minutes(2)))
struct PostgresLimitStoreTests {
    @Test("replicas hammering one limit at once admit exactly max, never more")
    func exactUnderConcurrency() async throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let stores = try (0..<4).map { _ in PostgresLimitStore(database: try replica(url)) }
        let request = LimitRequest(key: "global:export", max: 25, window: .seconds(60))
        let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<24 {
                let store = stores[worker % stores.count]
                group.addTask {
                    var admitted = 0
                    for _ in 0..<6 {
                        let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
                        if case .admitted(let id) = try await store.reserve([request], at: now) {
                            try await store.forwarded(id, at: now)
                            try await store.commit(id)
                            admitted += 1
                        }
                    }
                    return admitted
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(admitted == 25)
        let refused = try await stores[0].reserve([request], at: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
        #expect(refused == .refused(limitIndex: 0, retryAfter: .seconds(60)))
    }

    @Test("random reservations, forwards, commits and rollbacks get the verdicts one process would give")
    func agreesWithOneProcess() async throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let replicas = [PostgresLimitStore(database: try replica(url)), PostgresLimitStore(database: try replica(url))]
        let reference = MemoryLimitStore()
        var random = SplitMix(seed: 0x5EED)
        var time = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        var open: [(ReservationID, ReservationID, Int)] = []
        for step in 0..<160 {
            time = time + .milliseconds(Int64(random.next() % 900))
            let choice = random.next() % 4
            if choice < 2 || open.isEmpty {
                let requests = [
                    LimitRequest(key: "rate", max: 6, window: .seconds(5)),
                    LimitRequest(key: "budget", max: 40, window: .seconds(8), cost: Double(random.next() % 9) + 0.5),
                ]
                let which = Int(random.next() % 2)
                let expected = await reference.reserve(requests, at: time)
                let got = try await replicas[which].reserve(requests, at: time)
                switch (expected, got) {
                case (.admitted(let mine), .admitted(let theirs)):
                    open.append((mine, theirs, which))
                case (.refused, .refused):
                    #expect(expected == got, "step \(step)")
                default:
                    Issue.record("step \(step): one process says \(expected), PostgreSQL says \(got)")
                }
            } else {
                let index = Int(random.next() % UInt64(open.count))
                let (mine, theirs, which) = open.remove(at: index)
                if random.next() % 3 == 0 {
                    await reference.rollback(mine)
                    try await replicas[which].rollback(theirs)
                } else {
                    await reference.forwarded(mine, at: time)
                    try await replicas[which].forwarded(theirs, at: time)
                    await reference.commit(mine)
                    try await replicas[which].commit(theirs)
                }
            }
        }
    }

    @Test("a limit whose window shrank (a policy reload) counts only what the new window holds, as one process does")
    func shrunkWindow() async throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let store = PostgresLimitStore(database: try replica(url))
        let reference = MemoryLimitStore()
        let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        let wide = LimitRequest(key: "k", max: 4, window: .seconds(60))
        for second in [0, 10, 20, 30] as [Int64] {
            let now = start + .seconds(second)
            for limits in [store, reference] as [any LimitStore] {
                guard case .admitted(let id) = try await limits.reserve([wide], at: now) else {
                    Issue.record("call at \(second) s refused")
                    return
                }
                try await limits.forwarded(id, at: now)
                try await limits.commit(id)
            }
        }
        // Thirty-five seconds on, a 20 s window holds the calls at 20 s and 30 s: two more fit, the third does not.
        let narrow = LimitRequest(key: "k", max: 4, window: .seconds(20))
        let later = start + .seconds(35)
        for call in 0..<3 {
            let expected = await reference.reserve([narrow], at: later)
            let got = try await store.reserve([narrow], at: later)
            #expect(expected.isAdmitted == (call < 2))
            switch (expected, got) {
            case (.admitted, .admitted): break
            default: #expect(expected == got, "call \(call)")
            }
        }
    }

    @Test("a reservation function changed by hand in the database is an error that names it, not a crash")
    func changedSchema() async throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let database = try replica(url)
        let store = PostgresLimitStore(database: database)
        let request = LimitRequest(key: "k", max: 5, window: .seconds(60))
        let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        #expect(try await store.reserve([request], at: now).isAdmitted)
        let server = try PostgresTestServer.shared()
        let name = String(url.split(separator: "/").last ?? "")
        try server.psql("DROP FUNCTION warden_limit_prepare", database: name)
        try server.psql(
            """
            CREATE FUNCTION warden_limit_prepare(keys TEXT[], now_ms BIGINT, me TEXT, a BIGINT, b BIGINT)
            RETURNS TABLE (k TEXT, c DOUBLE PRECISION, w BIGINT, f BIGINT) LANGUAGE sql
            AS 'SELECT key, cost, window_ms, forwarded_at FROM warden_limit_entries WHERE key = ANY(keys)'
            """,
            database: name
        )
        await #expect(throws: StoreError.self) { try await store.reserve([request], at: now) }
        do {
            _ = try await store.reserve([request], at: now)
        } catch {
            #expect("\(error)".contains("warden_limit_prepare returned 4 columns"))
        }
    }

    @Test("a rollback gives the room back; a dead replica's pending reservations stop counting, a live one's do not")
    func rollbackAndDeadOwners() async throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        let request = LimitRequest(key: "k", max: 1, window: .seconds(60))
        let mine = PostgresLimitStore(database: try replica(url))
        guard case .admitted(let id) = try await mine.reserve([request], at: now) else { throw ProcessTestError("not admitted") }
        #expect(try await mine.reserve([request], at: now) != .admitted(id))
        try await mine.rollback(id)
        #expect(try await mine.reserve([request], at: now).isAdmitted)

        // Another owner holds a pending reservation on a second key; while its heartbeat is fresh it counts.
        let other = PostgresLimitStore(database: try replica(url), owner: "4242:deadbeef")
        let key2 = LimitRequest(key: "k2", max: 1, window: .seconds(60))
        #expect(try await other.reserve([key2], at: now).isAdmitted)
        let registry = PostgresInstanceRegistry(database: try replica(url))
        try registry.register(InstanceRecord(id: "4242:deadbeef", pid: 4242, mode: "serve", server: nil, startedAt: now, heartbeatAt: now))
        #expect(try await mine.reserve([key2], at: now + .seconds(30)).isAdmitted == false)
        // Its heartbeat is now over a minute old: the replica died, and its pending row no longer counts.
        #expect(try await mine.reserve([key2], at: now + .seconds(61)).isAdmitted)
    }
}
