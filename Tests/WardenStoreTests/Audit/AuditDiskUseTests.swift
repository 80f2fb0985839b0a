import Foundation
import Testing
import WardenPolicy

@testable import WardenStore
import WardenTesting

/// On a small disk the audit trail's own files must stay small, and a trail that cannot be written must still read.
@Suite("Audit disk use")
struct AuditDiskUseTests {
    static func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: [String] { lock.withLock { lines } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
    }

    @Test("the write-ahead log is emptied after every batch the mover commits, so one call at a time never grows it")
    func logStaysEmpty() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let store = try JournaledAuditStore(store: try SQLiteAuditStore(path: path), directory: path + ".audit-journals")
            var largest = 0
            for second in 0..<300 {
                let row = try store.append(fullRecord(second: Int64(second)))
                try store.recordOutcome(id: row, outcome: .result, upstreamMicroseconds: 10)
                store.flush()
                largest = max(largest, Self.size(path + "-wal"))
            }
            // SQLite alone checkpoints at about 4 MB; 300 batches of a few pages each would hold over a megabyte.
            #expect(largest <= 64 << 10, "the -wal file grew to \(largest) bytes")
            #expect(try store.query(AuditFilter()).filter { $0.outcome == .result }.count == 300)
            store.close()
        }
    }

    @Test("a journal is replaced once moved and past 256 KiB by default, so it never holds much of a small disk")
    func journalsStaySmall() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let journals = path + ".audit-journals"
            let store = try JournaledAuditStore(store: try SQLiteAuditStore(path: path), directory: journals)
            var largest = 0
            for second in 0..<3_000 {
                _ = try store.append(fullRecord(second: Int64(second)))
                if second % 100 == 99 {
                    store.flush()
                    for name in try FileManager.default.contentsOfDirectory(atPath: journals) {
                        largest = max(largest, Self.size(journals + "/" + name))
                    }
                }
            }
            #expect(largest > 0 && largest < 512 << 10, "a journal grew to \(largest) bytes")
            store.close()
        }
    }

    @Test("a store that cannot move a dead process's journal yet opens anyway, reads the trail, and leaves the journal")
    func unmovableOrphansDoNotStopReading() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let journals = path + ".audit-journals"
            let first = try JournaledAuditStore(store: try SQLiteAuditStore(path: path), directory: journals)
            _ = try first.append(fullRecord(second: 0))
            first.close()
            let orphan = journals + "/4242-0badcafe.jsonl"
            let line = AuditJournalEntry.decision(handle: 1, record: fullRecord(second: 1)).line
            try Data(line).write(to: URL(fileURLWithPath: orphan))

            // Another connection holds the write lock, as a full disk or a stuck writer would keep the move from committing.
            let lock = try WriteLock(path: path)
            try await lock.take()
            let reports = Reports()
            let reader = try JournaledAuditStore(
                store: try SQLiteAuditStore(path: path, busyTimeout: 0.2),
                directory: journals,
                report: { reports.add($0) }
            )
            #expect(try reader.query(AuditFilter()).map(\.requestID) == ["0"])
            #expect(FileManager.default.fileExists(atPath: orphan))
            #expect(reports.all.count == 1)
            #expect(reports.all.first?.contains("cannot be moved into the database yet") == true, "\(reports.all)")
            reader.close()
            try await lock.release()

            let next = try JournaledAuditStore(store: try SQLiteAuditStore(path: path), directory: journals)
            #expect(try next.query(AuditFilter()).map(\.requestID) == ["0", "1"])
            #expect(!FileManager.default.fileExists(atPath: orphan))
            next.close()
        }
    }
}
