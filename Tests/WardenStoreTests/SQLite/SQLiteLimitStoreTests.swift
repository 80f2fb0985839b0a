import Foundation
import GRDB
import Testing
import WardenPolicy
@testable import WardenStore
import WardenTesting

struct SQLiteLimitStoreTests {
    static let tenPerMinute = LimitRequest(key: "tool/agent", max: 10, window: .seconds(60))

    @Test("counters survive a restart: after 10 calls under 10 per minute, a new store on the file refuses the 11th")
    func survivesRestart() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let first = try SQLiteLimitStore(path: path)
            for second in 0..<10 {
                let id = try #require(await first.reserve([Self.tenPerMinute], at: at(seconds: Int64(second))).reservation)
                try await first.forwarded(id, at: at(seconds: Int64(second)))
                try await first.commit(id)
            }
            try await first.close()

            let second = try SQLiteLimitStore(path: path)
            let eleventh = await second.reserve([Self.tenPerMinute], at: at(seconds: 20))
            #expect(eleventh == .refused(limitIndex: 0, retryAfter: .seconds(40)))
            let later = await second.reserve([Self.tenPerMinute], at: at(seconds: 60))
            #expect(later.isAdmitted)
        }
    }

    @Test("a call forwarded but never settled counts after a restart; one that was only reserved does not")
    func onlyForwardedCallsArePersisted() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let one = LimitRequest(key: "one", max: 1, window: .seconds(60))
            let two = LimitRequest(key: "two", max: 1, window: .seconds(60))
            let first = try SQLiteLimitStore(path: path)
            let forwarded = try #require(await first.reserve([one], at: start).reservation)
            try await first.forwarded(forwarded, at: at(seconds: 5))
            _ = try #require(await first.reserve([two], at: start).reservation)  // waits for approval, then the crash
            try await first.close()

            let second = try SQLiteLimitStore(path: path)
            #expect(await second.reserve([one], at: at(seconds: 10)) == .refused(limitIndex: 0, retryAfter: .seconds(55)))
            #expect(await second.reserve([two], at: at(seconds: 10)).isAdmitted)
        }
    }

    @Test("rolling back a forwarded call deletes its row, and a restart does not count it")
    func rollbackDeletesRows() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let budget = LimitRequest(key: "spend", max: 100, window: .seconds(3_600), cost: 60)
            let rate = LimitRequest(key: "rate", max: 5, window: .seconds(60))
            let store = try SQLiteLimitStore(path: path)
            let kept = try #require(await store.reserve([rate, budget], at: start).reservation)
            try await store.forwarded(kept, at: start)
            try await store.commit(kept)
            let failed = try #require(await store.reserve([rate], at: start).reservation)
            try await store.forwarded(failed, at: start)
            #expect(try await store.storedEntryCount() == 3)
            try await store.rollback(failed)
            #expect(try await store.storedEntryCount() == 2)
            try await store.close()

            let reopened = try SQLiteLimitStore(path: path)
            #expect(await reopened.snapshot.retainedEntryCount == 2)
            #expect(await reopened.reserve([budget], at: at(seconds: 1)) == .refused(limitIndex: 0, retryAfter: .seconds(3_599)))
        }
    }

    @Test("a rollback made by a cancelled task (the client went away) still deletes the row")
    func rollbackSurvivesCancellation() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteLimitStore(path: directory + "/warden.db")
            let id = try #require(await store.reserve([Self.tenPerMinute], at: start).reservation)
            try await store.forwarded(id, at: start)
            let wasCancelled = try await Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await store.rollback(id)
                return Task.isCancelled
            }.value
            #expect(wasCancelled)
            #expect(try await store.storedEntryCount() == 0)
            #expect(await store.snapshot.retainedEntryCount == 0)
        }
    }

    @Test("rows whose window has passed are deleted when the next call is recorded")
    func prunesExpiredRows() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteLimitStore(path: directory + "/warden.db")
            for second in 0..<10 {
                let id = try #require(await store.reserve([Self.tenPerMinute], at: at(seconds: Int64(second))).reservation)
                try await store.forwarded(id, at: at(seconds: Int64(second)))
                try await store.commit(id)
            }
            #expect(try await store.storedEntryCount() == 10)
            let id = try #require(await store.reserve([Self.tenPerMinute], at: at(seconds: 65)).reservation)
            try await store.forwarded(id, at: at(seconds: 65))
            #expect(try await store.storedEntryCount() == 5)  // those at 0…5 s expired at 60…65 s
        }
    }

    @Test("the file is in WAL mode")
    func usesWAL() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let store = try SQLiteLimitStore(path: path, configuration: .init(durability: .powerLoss))
            try await store.close()
            let mode = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
        }
    }

    @Test("a path under a regular file gives a clear cannotOpen error, not a crash")
    func unwritablePath() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory + "/not-a-directory"
            try Data("x".utf8).write(to: URL(fileURLWithPath: file))
            let error = #expect(throws: StoreError.self) { try SQLiteLimitStore(path: file + "/warden.db") }
            #expect(error?.code == .cannotOpen)
            #expect(error?.description.contains("cannot create the directory \(file)") == true)

            let directoryAsFile = #expect(throws: StoreError.self) { try SQLiteLimitStore(path: directory) }
            #expect(directoryAsFile?.code == .cannotOpen)
        }
    }

    @Test("when the file cannot be written, forwarded throws cannotWrite, the call stays unsent, and rollback frees it")
    func writeFailureFailsClosed() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let one = LimitRequest(key: "one", max: 1, window: .seconds(60))
            let store = try SQLiteLimitStore(path: path, configuration: .init(busyTimeout: .zero))
            let other = try WriteLock(path: path)
            let id = try #require(await store.reserve([one], at: start).reservation)

            // Another process holds the write lock, as a full disk or a stuck peer would stop writes.
            try await other.take()
            let error = await #expect(throws: StoreError.self) { try await store.forwarded(id, at: start) }
            #expect(error?.code == .cannotWrite)
            #expect(error?.message.contains("must not be sent") == true)
            #expect(await store.snapshot.isPending(id))
            try await other.release()

            try await store.rollback(id)
            #expect(try await store.storedEntryCount() == 0)
            let retry = try #require(await store.reserve([one], at: start).reservation)
            try await store.forwarded(retry, at: start)
            #expect(try await store.storedEntryCount() == 1)
        }
    }

    @Test("a store that was closed throws instead of recording calls")
    func closedStoreThrows() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteLimitStore(path: directory + "/warden.db")
            let id = try #require(await store.reserve([Self.tenPerMinute], at: start).reservation)
            try await store.close()
            let error = await #expect(throws: StoreError.self) { try await store.forwarded(id, at: start) }
            #expect(error?.code == .cannotWrite)
        }
    }
}

@Suite("Waiting for the file's write lock")
struct BusyWaitTests {
    @Test("the waits start at 20 µs and double up to a millisecond")
    func delays() {
        #expect((0..<9).map(BusyWait.delay) == [20, 40, 80, 160, 320, 640, 1_000, 1_000, 1_000])
    }

    @Test("a write that meets a lock held past the timeout waits out the timeout, then fails")
    func givesUpAfterTheTimeout() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let store = try SQLiteLimitStore(path: path, configuration: .init(busyTimeout: .milliseconds(300)))
            let lock = try WriteLock(path: path)
            try await lock.take()
            let request = LimitRequest(key: "k", max: 5, window: .seconds(60))
            let reservation = try #require(await store.reserve([request], at: auditStart).reservation)
            let started = ContinuousClock.now
            await #expect(throws: StoreError.self) { try await store.forwarded(reservation, at: auditStart) }
            let waited = ContinuousClock.now - started
            try await lock.release()
            // It cannot give up before its budget is spent (how much longer it takes depends on the machine's load).
            #expect(waited >= .milliseconds(290))
        }
    }
}
