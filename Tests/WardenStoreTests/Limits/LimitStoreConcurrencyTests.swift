import Testing
import WardenPolicy
import WardenStore
import WardenTesting

struct LimitStoreConcurrencyTests {
    static let tenPerMinute = LimitRequest(key: "tool/agent", max: 10, window: .seconds(60))

    @Test("200 concurrent calls against one limit of 10 in memory: exactly 10 are admitted and forwarded")
    func memoryAdmitsExactlyMax() async throws {
        let store = MemoryLimitStore()
        #expect(try await Self.race(store, calls: 200) == 10)
        #expect(try await Self.race(store, calls: 50) == 0)
        #expect(await store.snapshot.retainedEntryCount == 10)
    }

    @Test("200 concurrent calls against one limit of 10 in SQLite: exactly 10 are admitted, and 10 rows written")
    func sqliteAdmitsExactlyMax() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteLimitStore(path: directory + "/warden.db")
            #expect(try await Self.race(store, calls: 200) == 10)
            #expect(try await Self.race(store, calls: 50) == 0)
            #expect(try await store.storedEntryCount() == 10)
        }
    }

    @Test("concurrent calls under two limits never overshoot either, and refused calls reserve nothing")
    func twoLimitsUnderContention() async throws {
        let store = MemoryLimitStore()
        let shared = LimitRequest(key: "global", max: 10, window: .seconds(60))
        let admitted = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<200 {
                let agent = LimitRequest(key: "agent-\(index % 4)", max: 2, window: .seconds(60))
                group.addTask {
                    let verdict = await store.reserve([agent, shared], at: start)
                    guard case .admitted(let id) = verdict else { return nil }
                    await store.forwarded(id, at: start)
                    await store.commit(id)
                    return agent.key
                }
            }
            return try await group.reduce(into: [String]()) { if let key = $1 { $0.append(key) } }
        }
        #expect(admitted.count == 8)
        #expect(Dictionary(grouping: admitted, by: { $0 }).values.allSatisfy { $0.count == 2 })
        let fits = await store.reserve([shared, shared], at: start).isAdmitted
        #expect(fits)
    }

    /// Runs `calls` concurrent tasks that each reserve, forward and commit one call, and counts the admitted ones.
    static func race(_ store: some LimitStore, calls: Int) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<calls {
                group.addTask {
                    guard case .admitted(let id) = try await store.reserve([tenPerMinute], at: start) else { return false }
                    try await store.forwarded(id, at: start)
                    try await store.commit(id)
                    return true
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }
}
