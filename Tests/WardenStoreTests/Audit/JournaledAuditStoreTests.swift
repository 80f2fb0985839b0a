import Foundation
import GRDB
import Testing
import WardenPolicy

@testable import WardenStore
import WardenTesting

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Journaled audit store")
struct JournaledAuditStoreTests {
    func open(_ directory: String, rotateBytes: Int = 8 << 20, reports: Reports = Reports()) throws -> JournaledAuditStore {
        try JournaledAuditStore(
            store: try SQLiteAuditStore(path: directory + "/warden.db"),
            directory: directory + "/warden.db.audit-journals",
            rotateBytes: rotateBytes,
            report: { reports.add($0) }
        )
    }

    /// What a store reported, kept for a test to read.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: [String] { lock.withLock { lines } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
    }

    func journals(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/warden.db.audit-journals")) ?? []).sorted()
    }

    /// The records as another connection to the database sees them, so nothing comes from the store's own memory.
    func inDatabase(_ directory: String) throws -> [AuditRecord] {
        try SQLiteAuditStore(path: directory + "/warden.db").query(AuditFilter())
    }

    /// A journal line for `record` under `handle`, as a process writes it.
    func decisionLine(_ handle: UInt64, _ record: AuditRecord) -> String {
        String(decoding: AuditJournalEntry.decision(handle: handle, record: record).line, as: UTF8.self)
    }

    @Test("decisions and outcomes go through the journal into the database, every field intact")
    func recordsReachTheDatabase() async throws {
        try await withTemporaryDirectory { directory in
            let store = try open(directory)
            var written: [AuditRecord] = []
            var handles: [Int64] = []
            for second in 0..<20 {
                let record = fullRecord(second: Int64(second), decision: second % 4 == 0 ? .denied : .allowed)
                written.append(record)
                handles.append(try store.append(record))
            }
            try store.recordOutcome(id: handles[1], outcome: .result, upstreamMicroseconds: 640)
            try store.recordOutcome(id: handles[2], outcome: .toolError, upstreamMicroseconds: 90)

            let read = try store.query(AuditFilter())
            #expect(read.count == 20)
            #expect(read.map(\.requestID) == written.map(\.requestID))
            #expect(read[1].outcome == .result && read[1].upstreamMicroseconds == 640)
            #expect(read[2].outcome == .toolError && read[2].upstreamMicroseconds == 90)
            #expect(read[3].outcome == nil)
            #expect(read[0].outcome == .refused)
            var expected = written[5]
            expected.id = read[5].id
            #expect(read[5] == expected)
            #expect(try inDatabase(directory).count == 20)
            store.close()
        }
    }

    @Test("close moves everything and removes the journal; a write after it is refused")
    func closeLeavesNoJournal() async throws {
        try await withTemporaryDirectory { directory in
            let store = try open(directory)
            for second in 0..<50 { _ = try store.append(fullRecord(second: Int64(second))) }
            #expect(journals(directory).count == 1)
            store.close()
            #expect(journals(directory).isEmpty)
            #expect(try inDatabase(directory).count == 50)
            #expect(throws: StoreError.self) { try store.append(fullRecord()) }
        }
    }

    @Test("a store that only reads creates no journal")
    func readersWriteNothing() async throws {
        try await withTemporaryDirectory { directory in
            let store = try open(directory)
            #expect(try store.query(AuditFilter()).isEmpty)
            #expect(try store.summary(since: auditStart).total == 0)
            #expect(journals(directory).isEmpty)
        }
    }

    @Test("a journal a dead process left is moved by the next store, once; its outcomes find their records; a damaged line is reported, a torn last line skipped")
    func orphansAreRecovered() async throws {
        try await withTemporaryDirectory { directory in
            let journalDirectory = directory + "/warden.db.audit-journals"
            try FileManager.default.createDirectory(atPath: journalDirectory, withIntermediateDirectories: true)
            let outcome = AuditJournalEntry.outcome(
                handle: 1,
                sessionID: "session-1",
                requestID: "0",
                outcome: .result,
                upstreamMicroseconds: 77
            )
            let text =
                decisionLine(1, fullRecord(second: 0)) + "damaged\n" + decisionLine(2, fullRecord(second: 1))
                + String(decoding: outcome.line, as: UTF8.self) + #"{"d":3,"r":{"timeMs":17"#
            try text.write(toFile: journalDirectory + "/4242-0badcafe.jsonl", atomically: true, encoding: .utf8)

            let reports = Reports()
            let store = try open(directory, reports: reports)
            #expect(reports.all == ["1 unreadable line(s) in the audit journal 4242-0badcafe.jsonl were skipped"])
            let read = try store.query(AuditFilter())
            #expect(read.map(\.requestID) == ["0", "1"])
            #expect(read[0].outcome == .result && read[0].upstreamMicroseconds == 77)
            #expect(read[1].outcome == nil)
            #expect(journals(directory).isEmpty)

            _ = try open(directory)
            #expect(try inDatabase(directory).count == 2)
        }
    }

    @Test("a journal moved part-way before a crash is moved from where it stopped, with no record twice")
    func partlyMovedJournalsResume() async throws {
        try await withTemporaryDirectory { directory in
            let journalDirectory = directory + "/warden.db.audit-journals"
            try FileManager.default.createDirectory(atPath: journalDirectory, withIntermediateDirectories: true)
            let first = decisionLine(1, fullRecord(second: 0))
            let rest = decisionLine(2, fullRecord(second: 1)) + decisionLine(3, fullRecord(second: 2))
            try (first + rest).write(toFile: journalDirectory + "/4243-00c0ffee.jsonl", atomically: true, encoding: .utf8)
            // What a process did before it died: moved the first line, and said so in the same transaction.
            let database = try SQLiteAuditStore(path: directory + "/warden.db")
            var rows: [UInt64: Int64] = [:]
            try database.ingest(
                [AuditJournalEntry.decision(handle: 1, record: fullRecord(second: 0))],
                journal: "4243-00c0ffee.jsonl",
                readTo: first.utf8.count,
                rows: &rows
            )

            let store = try open(directory)
            #expect(try store.query(AuditFilter()).map(\.requestID) == ["0", "1", "2"])
            #expect(journals(directory).isEmpty)
            #expect(try database.journalReadTo("4243-00c0ffee.jsonl") == 0)
        }
    }

    @Test("a journal its process still holds is left to that process")
    func liveJournalsAreNotTaken() async throws {
        try await withTemporaryDirectory { directory in
            let journalDirectory = directory + "/warden.db.audit-journals"
            try FileManager.default.createDirectory(atPath: journalDirectory, withIntermediateDirectories: true)
            let path = journalDirectory + "/4244-aaaabbbb.jsonl"
            try decisionLine(1, fullRecord(second: 0)).write(toFile: path, atomically: true, encoding: .utf8)
            // Another open file holding the lock stands for the live process that owns the journal.
            let holder = Glibc.open(path, O_RDONLY)
            #expect(flock(holder, LOCK_EX) == 0)

            let store = try open(directory)
            #expect(try store.query(AuditFilter()).isEmpty)
            #expect(journals(directory) == ["4244-aaaabbbb.jsonl"])

            Glibc.close(holder)
            _ = try open(directory)
            #expect(try inDatabase(directory).count == 1)
            #expect(journals(directory).isEmpty)
        }
    }

    @Test("a journal that grew past its size is replaced once moved, and the old one deleted")
    func journalsRotate() async throws {
        try await withTemporaryDirectory { directory in
            let store = try open(directory, rotateBytes: 2_000)
            var handles: [Int64] = []
            for second in 0..<60 {
                handles.append(try store.append(fullRecord(second: Int64(second))))
                store.flush()
            }
            // Outcomes of calls whose decisions were in journals that are gone now still find their records.
            for handle in handles.prefix(3) { try store.recordOutcome(id: handle, outcome: .result, upstreamMicroseconds: 5) }
            let read = try store.query(AuditFilter())
            #expect(read.count == 60)
            #expect(read.prefix(3).allSatisfy { $0.outcome == .result })
            #expect(read.dropFirst(3).allSatisfy { $0.outcome == nil })
            #expect(journals(directory).count == 1)
            let tracked = try DatabaseQueue(path: directory + "/warden.db").read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_journal")
            }
            #expect(tracked == 1)
            store.close()
        }
    }

    @Test("a record bigger than the mover's chunk (arguments kept in full) goes through whole")
    func largeRecordsAreMoved() async throws {
        try await withTemporaryDirectory { directory in
            let store = try open(directory)
            var large = fullRecord(second: 1)
            large.arguments = #"{"text":""# + String(repeating: "x", count: 3 << 20) + #""}"#
            _ = try store.append(fullRecord(second: 0))
            _ = try store.append(large)
            _ = try store.append(fullRecord(second: 2))
            let read = try store.query(AuditFilter())
            #expect(read.map(\.requestID) == ["0", "1", "2"])
            #expect(read[1].arguments == large.arguments)
            store.close()
        }
    }

    @Test("while the database is locked by another writer the records wait in the journal, then all arrive once")
    func lockedDatabaseDelaysButLosesNothing() async throws {
        try await withTemporaryDirectory { directory in
            let reports = Reports()
            let store = try open(directory, reports: reports)
            _ = try store.append(fullRecord(second: 0))
            store.flush()
            // Another connection holds the write lock for longer than the store's busy timeout allows.
            let lock = try WriteLock(path: directory + "/warden.db")
            try await lock.take()
            for second in 1...5 { _ = try store.append(fullRecord(second: Int64(second))) }
            #expect(journals(directory).count == 1)
            // Past the store's 5 s busy timeout, so the mover's first attempt fails and it tries again.
            try await Task.sleep(for: .milliseconds(5_500))
            try await lock.release()
            let read = try store.query(AuditFilter())
            #expect(read.map(\.requestID) == ["0", "1", "2", "3", "4", "5"])
            store.close()
            #expect(journals(directory).isEmpty)
            // The operator is told once that records are waiting, and once that they arrived.
            #expect(reports.all.count == 2)
            #expect(reports.all.first?.contains("audit records cannot be written to the database") == true)
            #expect(reports.all.first?.contains(".jsonl") == true)
            #expect(reports.all.last == "audit records reach the database again; none were lost")
        }
    }

    @Test("a journal directory that cannot be made is a clear error")
    func unusableDirectory() async throws {
        try await withTemporaryDirectory { directory in
            try "not a directory".write(toFile: directory + "/warden.db.audit-journals", atomically: true, encoding: .utf8)
            #expect {
                _ = try open(directory)
            } throws: { error in
                (error as? StoreError)?.code == .cannotOpen && "\(error)".contains("audit journal")
            }
        }
    }
}
