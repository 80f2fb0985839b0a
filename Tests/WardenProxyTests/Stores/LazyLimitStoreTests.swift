import Synchronization
import Testing
import WardenPolicy
import WardenProxy
import WardenStore

@Suite("Lazily opened limit store")
struct LazyLimitStoreTests {
    static let request = LimitRequest(key: "echo", max: 100, window: .seconds(60))
    static let start = Timestamp(millisecondsSinceEpoch: 1_764_064_800_000)

    @Test("many first calls at once open the store once, and all of them use it")
    func opensOnce() async throws {
        let opens = Atomic<Int>(0)
        let lazy = LazyLimitStore { () throws(StoreError) in
            opens.add(1, ordering: .relaxed)
            return MemoryLimitStore()
        }
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { try await lazy.reserve([Self.request], at: Self.start).isAdmitted } }
            return try await group.reduce(into: 0) { count, ok in count += ok ? 1 : 0 }
        }
        #expect(admitted == 50)
        #expect(opens.load(ordering: .relaxed) == 1)
        // One store holds all fifty: the 101st reservation in the window is refused.
        for _ in 0..<50 { _ = try await lazy.reserve([Self.request], at: Self.start) }
        #expect(try await lazy.reserve([Self.request], at: Self.start).isAdmitted == false)
    }

    @Test("a store that cannot be opened fails that call; the next call tries again")
    func failedOpenIsRetried() async throws {
        let attempts = Atomic<Int>(0)
        let lazy = LazyLimitStore { () throws(StoreError) in
            if attempts.add(1, ordering: .relaxed).newValue == 1 {
                throw StoreError(code: .cannotOpen, location: "/nowhere", message: "not yet")
            }
            return MemoryLimitStore()
        }
        await #expect(throws: StoreError.self) { _ = try await lazy.reserve([Self.request], at: Self.start) }
        #expect(try await lazy.reserve([Self.request], at: Self.start).isAdmitted)
        #expect(attempts.load(ordering: .relaxed) == 2)
    }
}
