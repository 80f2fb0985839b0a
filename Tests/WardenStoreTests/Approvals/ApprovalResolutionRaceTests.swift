import Foundation
import Synchronization
import Testing
import WardenPolicy
import WardenStore
import WardenTesting

/// Many people resolving one approval at once: the compare-and-set lets exactly one of them win.
struct ApprovalResolutionRaceTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
    static let contenders = 16

    /// Resolves `ap_race` from `contenders` threads at once, each through its own store, and returns what each saw.
    static func race(stores: [any ApprovalStore]) -> [ApprovalRecord?] {
        let results = Mutex<[Int: ApprovalRecord?]>([:])
        DispatchQueue.concurrentPerform(iterations: contenders) { index in
            let state: ApprovalState = index.isMultiple(of: 2) ? .approved : .denied
            let seen = try? stores[index].resolve(id: "ap_race", to: state, by: "person-\(index)", reason: nil, at: start + .seconds(1))
            results.withLock { $0[index] = seen }
        }
        return results.withLock { results in (0..<contenders).map { results[$0] ?? nil } }
    }

    static func check(_ seen: [ApprovalRecord?], final: ApprovalRecord?) throws {
        let final = try #require(final)
        let winners = seen.enumerated().filter { index, record in record?.resolvedBy == "person-\(index)" }
        #expect(winners.count == 1)
        #expect(final.state != .pending)
        #expect(seen.allSatisfy { $0 == final })  // every loser is told who won
    }

    @Test("in memory, exactly one of many concurrent resolutions wins", arguments: 0..<5)
    func memory(round: Int) throws {
        let store = MemoryApprovalStore()
        try store.create(ApprovalRecord(id: "ap_race", createdAt: Self.start, expiresAt: Self.start + .seconds(60), sessionID: "s", tool: "t"))
        let seen = Self.race(stores: Array(repeating: store, count: Self.contenders))
        try Self.check(seen, final: try store.get(id: "ap_race"))
    }

    @Test("in SQLite, exactly one of many concurrent resolutions through separate connections wins", arguments: 0..<3)
    func sqlite(round: Int) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            let stores = try (0..<Self.contenders).map { _ in try SQLiteApprovalStore(path: path) }
            try stores[0].create(
                ApprovalRecord(id: "ap_race", createdAt: Self.start, expiresAt: Self.start + .seconds(60), sessionID: "s", tool: "t")
            )
            let seen = Self.race(stores: stores)
            try Self.check(seen, final: try stores[0].get(id: "ap_race"))
        }
    }
}
