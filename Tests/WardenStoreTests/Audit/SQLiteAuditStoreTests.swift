import Foundation
import GRDB
import Synchronization
import Testing
import WardenPolicy
import WardenStore
import WardenTesting

@Suite("SQLite audit store")
struct SQLiteAuditStoreTests {
    @Test("the audit, limit, approval and instance stores share one file, each on its own connection")
    func sharesTheFileWithOtherStores() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let limits = try SQLiteLimitStore(path: path)
            let audit = try SQLiteAuditStore(path: path)
            let approvals = try SQLiteApprovalStore(path: path)
            let instances = try SQLiteInstanceRegistry(path: path)
            let request = LimitRequest(key: "tool/agent", max: 10, window: .seconds(60))
            for second in 0..<5 {
                let reservation = try #require(await limits.reserve([request], at: auditStart + .seconds(Int64(second))).reservation)
                try await limits.forwarded(reservation, at: auditStart + .seconds(Int64(second)))
                _ = try audit.append(fullRecord(second: Int64(second)))
                try await limits.commit(reservation)
            }
            try instances.register(InstanceRecord(id: "i", pid: 1, mode: "run", server: nil, startedAt: auditStart, heartbeatAt: auditStart))
            #expect(try approvals.list(states: nil, limit: nil).isEmpty)
            #expect(try audit.query(AuditFilter()).count == 5)
            #expect(try await limits.storedEntryCount() == 5)
            try await limits.close()

            let reopened = try SQLiteLimitStore(path: path)
            #expect(
                await reopened.reserve([LimitRequest(key: "tool/agent", max: 5, window: .seconds(60))], at: auditStart + .seconds(6)).isAdmitted
                    == false
            )
            #expect(try SQLiteAuditStore(path: path).query(AuditFilter()).count == 5)
        }
    }

    @Test("appends from many threads at once all get distinct ids and are all in the file")
    func concurrentAppendsAreAllDurable() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let writers = 8
            let perWriter = 50
            // Two connections, as two proxies on one machine have: both contend for the file's write lock.
            let stores = [try SQLiteAuditStore(path: path), try SQLiteAuditStore(path: path)]
            // Real threads, more than there are cores, so appends truly overlap.
            let collected = Mutex<[Int64]>([])
            let failures = Mutex<[String]>([])
            let done = DispatchGroup()
            for writer in 0..<writers {
                done.enter()
                Thread.detachNewThread {
                    defer { done.leave() }
                    for index in 0..<perWriter {
                        var record = fullRecord(second: Int64(index))
                        record.agentID = "writer-\(writer)"
                        do {
                            let id = try stores[writer % 2].append(record)
                            collected.withLock { $0.append(id) }
                        } catch {
                            failures.withLock { $0.append("\(error)") }
                        }
                    }
                }
            }
            done.wait()
            let ids = collected.withLock { $0 }
            #expect(failures.withLock { $0 } == [])
            #expect(Set(ids).count == writers * perWriter)
            // A fresh connection, as `warden audit` is, reads every record.
            let read = try SQLiteAuditStore(path: path).query(AuditFilter())
            #expect(Set(read.compactMap(\.id)) == Set(ids))
            for writer in 0..<writers {
                #expect(read.filter { $0.agentID == "writer-\(writer)" }.count == perWriter)
            }
        }
    }

    @Test("a reader on another connection sees each record as soon as append returns, and each outcome too")
    func readerSeesCommittedRecords() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let writer = try SQLiteAuditStore(path: path)
            let reader = try SQLiteAuditStore(path: path)
            var lastSeen: Int64 = 0
            for second in 0..<20 {
                let id = try writer.append(fullRecord(second: Int64(second)))
                let new = try reader.query(AuditFilter(afterID: lastSeen))
                #expect(new.map(\.id) == [id])
                lastSeen = id
                try writer.recordOutcome(id: id, outcome: .result, upstreamMicroseconds: second)
                #expect(try reader.query(AuditFilter(afterID: id - 1)).first?.outcome == .result)
            }
        }
    }

    @Test("a committed record is in the file for a plain SQLite connection, with the columns documented for tools")
    func recordsAreReadableWithPlainSQL() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let store = try SQLiteAuditStore(path: path)
            _ = try store.append(fullRecord(decision: .budgetExceeded))
            let queue = try DatabaseQueue(path: path)
            let row = try #require(try queue.read { try Row.fetchOne($0, sql: "SELECT decision, tool, outcome, time_ms FROM audit") })
            #expect(row["decision"] as String? == "budget_exceeded")
            #expect(row["tool"] as String? == "write_record")
            #expect(row["outcome"] as String? == "refused")
            #expect(row["time_ms"] as Int64? == auditStart.millisecondsSinceEpoch)
            let indexes = try queue.read {
                try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit'")
            }
            #expect(Set(indexes).isSuperset(of: ["audit_by_time", "audit_by_tool", "audit_by_agent", "audit_by_decision", "audit_by_rule"]))
            let mode = try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
        }
    }

    @Test("a decision name written by a newer Warden reads back unchanged instead of failing the query")
    func keepsUnknownNames() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let store = try SQLiteAuditStore(path: path)
            _ = try store.append(fullRecord())
            let queue = try DatabaseQueue(path: path)
            try await queue.write { try $0.execute(sql: "UPDATE audit SET decision = 'quarantined', outcome = 'teleported'") }
            let record = try #require(try store.query(AuditFilter()).first)
            #expect(record.decision.description == "quarantined")
            #expect(record.outcome?.description == "teleported")
            #expect(AuditDecision(name: "quarantined") == nil)
        }
    }

    @Test("a path whose directory cannot be created is a cannotOpen error naming the path")
    func reportsUnopenableFile() async throws {
        try await withTemporaryDirectory { directory in
            let blocker = directory + "/file"
            try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
            #expect {
                _ = try SQLiteAuditStore(path: blocker + "/warden.db")
            } throws: { error in
                (error as? StoreError)?.code == .cannotOpen && (error as? StoreError)?.location == blocker + "/warden.db"
            }
        }
    }

    @Test("a DSN makes the matching audit store; postgres is journaled on this machine into PostgreSQL")
    func makesStoresFromDSN() async throws {
        try await withTemporaryDirectory { directory in
            let memory = try StoreDSN.memory.makeAuditStore()
            let sqlite = try StoreDSN.sqlite(path: directory + "/w.db").makeAuditStore()
            #expect(memory is MemoryAuditStore)
            #expect(sqlite is JournaledAuditStore)
            #expect(FileManager.default.fileExists(atPath: directory + "/w.db"))
            let postgres = try StoreDSN(parsing: "postgres://u:p@localhost/warden").makeAuditStore()
            #expect((postgres as? JournaledAuditStore)?.store is PostgresAuditStore)
            #expect((postgres as? JournaledAuditStore)?.directory.hasSuffix("/.warden/journals/localhost-5432-warden") == true)
        }
    }
}
