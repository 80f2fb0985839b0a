import Foundation
import Testing
import WardenPolicy

@testable import WardenStore
import WardenTesting

@Suite("PostgreSQL stores", .serialized, .timeLimit(.minutes(2)))
struct PostgresStoreTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    @Test("replicas starting at once migrate the schema once, and every store works on it")
    func concurrentMigration() async throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let replicas = try (0..<4).map { _ in try replica(url) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for database in replicas {
                group.addTask { _ = try PostgresPinStore(database: database).list(server: nil) }
            }
            try await group.waitForAll()
        }
        #expect(try replicas[0].appliedMigrations() == [1, 2])
    }

    @Test("an approval decided through one replica wakes the waiter on another at once, and only one decision wins")
    func approvalsAcrossReplicas() async throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let holder = PostgresApprovalStore(database: try replica(url))
        let decider = PostgresApprovalStore(database: try replica(url))
        let record = ApprovalRecord(
            id: ApprovalRecord.makeID(), createdAt: Self.start, expiresAt: Self.start + .seconds(600), agentID: "a",
            sessionID: "s", server: "bank", tool: "transfer", arguments: #"{"amount":5}"#, rule: "big", reason: "r",
            ownerInstance: StoreOwner.current, approvers: ["alice"]
        )
        try holder.create(record)
        #expect(try decider.get(id: record.id) == record)
        #expect(try decider.list(states: [.pending], limit: nil).map(\.id) == [record.id])
        // Let the holder's LISTEN connection come up, then wait for a change with a long interval.
        try await holder.waitForChange(of: "warm-up", upTo: .milliseconds(300))
        let clock = ContinuousClock()
        let began = clock.now
        async let woke: Void = holder.waitForChange(of: record.id, upTo: .seconds(5))
        try await Task.sleep(for: .milliseconds(100))
        let decided = try decider.resolve(id: record.id, to: .approved, by: "alice", reason: nil, at: Self.start + .seconds(1))
        try await woke
        let waited = clock.now - began
        #expect(decided?.state == .approved && decided?.resolvedBy == "alice")
        #expect(waited < .seconds(2), "the waiter slept its whole interval: \(waited)")
        // A second decision changes nothing: compare-and-set.
        let late = try holder.resolve(id: record.id, to: .denied, by: "bob", reason: "no", at: Self.start + .seconds(2))
        #expect(late?.state == .approved && late?.resolvedBy == "alice")
        #expect(try holder.get(id: record.id)?.approvers == ["alice"])
    }

    @Test("pending approvals of a replica whose heartbeat stopped expire; a live replica's stay")
    func orphans() throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let store = PostgresApprovalStore(database: try replica(url))
        let registry = PostgresInstanceRegistry(database: try replica(url))
        let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        try registry.register(InstanceRecord(id: "1:live", pid: 1, mode: "serve", server: nil, startedAt: now, heartbeatAt: now))
        try registry.register(
            InstanceRecord(id: "2:gone", pid: 2, mode: "serve", server: nil, startedAt: now, heartbeatAt: now - .seconds(300))
        )
        for (id, owner) in [("ap_live", "1:live"), ("ap_gone", "2:gone")] {
            try store.create(
                ApprovalRecord(id: id, createdAt: now, expiresAt: now + .seconds(600), sessionID: "s", tool: "t", ownerInstance: owner)
            )
        }
        #expect(try store.expireOrphans(at: now, isOwnerAlive: { _ in true }) == 1)
        #expect(try store.get(id: "ap_gone")?.state == .expired)
        #expect(try store.get(id: "ap_live")?.state == .pending)
        #expect(try registry.instances(aliveSince: now - .seconds(60)).map(\.id) == ["1:live"])
    }

    @Test("the audit trail through the journal: records and outcomes arrive once, and filters and the summary read them")
    func auditThroughTheJournal() throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let directory = try TemporaryDirectory()
        let journaled = try JournaledAuditStore(
            store: PostgresAuditStore(database: try replica(url)), directory: directory.path + "/journals", report: { _ in }
        )
        let first = try journaled.append(
            AuditRecord(time: Self.start, agentID: "a", sessionID: "s", tool: "read", requestID: "1", decision: .allowed)
        )
        _ = try journaled.append(
            AuditRecord(time: Self.start + .seconds(1), agentID: "b", sessionID: "s", tool: "drop", requestID: "2", decision: .denied, rule: "no drops")
        )
        try journaled.recordOutcome(id: first, outcome: .result, upstreamMicroseconds: 42)
        let other = PostgresAuditStore(database: try replica(url))
        var records: [AuditRecord] = []
        for _ in 0..<100 where records.count < 2 || records.first?.outcome == nil {
            records = try other.query(AuditFilter())
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(records.map(\.tool) == ["read", "drop"])
        #expect(records.first?.outcome == .result && records.first?.upstreamMicroseconds == 42)
        #expect(try other.query(AuditFilter(agentID: "b")).map(\.tool) == ["drop"])
        #expect(try other.query(AuditFilter(decision: .denied)).map(\.rule) == ["no drops"])
        let summary = try other.summary(since: Self.start)
        #expect(summary.total == 2 && summary.topDenyingRules == [AuditSummary.RuleCount(rule: "no drops", count: 1)])
        #expect(try other.prune(before: Self.start + .milliseconds(500)) == 1)
        journaled.close()
    }

    @Test("a pin held by one replica is accepted through another, and both read the same record")
    func pinsAcrossReplicas() throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let a = PostgresPinStore(database: try replica(url))
        let b = PostgresPinStore(database: try replica(url))
        let v1 = PinObservation(tool: "transfer", fingerprint: "f1", definition: #"{"name":"transfer"}"#)
        let v2 = PinObservation(tool: "transfer", fingerprint: "f2", definition: #"{"description":"x","name":"transfer"}"#)
        #expect(try a.observe(server: "bank", tools: [v1], holdNew: false, at: Self.start) == [.trusted])
        #expect(try b.observe(server: "bank", tools: [v2], holdNew: false, at: Self.start + .seconds(1)) == [.changed])
        #expect(try a.get(server: "bank", tool: "transfer")?.pendingFingerprint == "f2")
        let accepted = try b.accept(server: "bank", tool: "transfer", by: "alice", at: Self.start + .seconds(2))
        #expect(accepted?.trustedFingerprint == "f2" && accepted?.acceptedBy == "alice")
        #expect(try a.observe(server: "bank", tools: [v2], holdNew: false, at: Self.start + .seconds(3)) == [.trusted])
        #expect(try a.acceptAll(server: "bank", by: "bob", at: Self.start + .seconds(4)).isEmpty)
        #expect(try b.list(server: "bank").map(\.tool) == ["transfer"])
    }

    @Test("an acceptance is announced to every process that watches the store, with the server's name")
    func pinAcceptancesAreAnnounced() async throws {
        let url = try PostgresTestServer.shared().makeDatabase()
        let heard = Heard()
        try StoreDSN(parsing: url).watchPinAcceptances { server in heard.add(server) }
        let store = PostgresPinStore(database: try replica(url))
        let v1 = PinObservation(tool: "t", fingerprint: "f1", definition: "{}")
        let v2 = PinObservation(tool: "t", fingerprint: "f2", definition: #"{"x":1}"#)
        _ = try store.observe(server: "bank", tools: [v1], holdNew: false, at: Self.start)
        _ = try store.observe(server: "bank", tools: [v2], holdNew: false, at: Self.start)
        try await Task.sleep(for: .milliseconds(500))  // the LISTEN connection comes up
        _ = try store.accept(server: "bank", tool: "t", by: "alice", at: Self.start)
        for _ in 0..<100 where heard.all.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(heard.all == ["bank"])
    }

    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var servers: [String] = []
        var all: [String] { lock.withLock { servers } }
        func add(_ server: String) { lock.withLock { servers.append(server) } }
    }
}
