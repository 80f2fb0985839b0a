import Synchronization
import Testing
import WardenPolicy
import WardenProxy
import WardenStore
import WardenTesting

/// The wait for a person's decision, driven by a fake clock: no test here waits for real time to pass.
struct ApprovalWaiterTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
    static let deadline = start + .seconds(300)

    /// A store holding one pending approval, `ap_one`, that expires at `deadline`.
    static func store() throws -> MemoryApprovalStore {
        let store = MemoryApprovalStore()
        try store.create(ApprovalRecord(id: "ap_one", createdAt: start, expiresAt: deadline, sessionID: "s", tool: "delete_repo"))
        return store
    }

    static func wait(in store: any ApprovalStore, time: FakeTime, until deadline: Timestamp = deadline) async throws -> ApprovalRecord {
        try await ApprovalWaiter.wait(for: "ap_one", in: store, until: deadline, now: time.now, sleep: time.sleep)
    }

    @Test("a person approving while the call waits ends the wait with their approval")
    func approved() async throws {
        let store = try Self.store()
        let time = FakeTime(start: Self.start)
        time.at(Self.start + .seconds(42)) {
            _ = try? store.resolve(id: "ap_one", to: .approved, by: "alice", reason: nil, at: Self.start + .seconds(42))
        }
        let record = try await Self.wait(in: store, time: time)
        #expect(record.state == .approved)
        #expect(record.resolvedBy == "alice")
        #expect(time.now() == Self.start + .seconds(42))
        #expect(time.sleeps.allSatisfy { $0 == .milliseconds(200) })
    }

    @Test("a person denying ends the wait with the denial and its reason")
    func denied() async throws {
        let store = try Self.store()
        let time = FakeTime(start: Self.start)
        time.at(Self.start + .seconds(1)) {
            _ = try? store.resolve(id: "ap_one", to: .denied, by: "bob", reason: "not on a Friday", at: Self.start + .seconds(1))
        }
        let record = try await Self.wait(in: store, time: time)
        #expect(record.state == .denied)
        #expect(record.resolutionReason == "not on a Friday")
    }

    @Test("nobody answering by the deadline expires the record, and no sleep runs past the deadline")
    func timesOut() async throws {
        let store = try Self.store()
        let time = FakeTime(start: Self.start)
        let deadline = Self.start + .milliseconds(1000)
        let record = try await ApprovalWaiter.wait(
            for: "ap_one",
            in: store,
            until: deadline,
            pollEvery: .milliseconds(300),
            now: time.now,
            sleep: time.sleep
        )
        #expect(record.state == .expired)
        #expect(record.resolvedBy == ApprovalWaiter.resolver)
        #expect(record.resolutionReason == "timed out")
        #expect(record.resolvedAt == deadline)
        #expect(try store.get(id: "ap_one") == record)
        #expect(time.sleeps == [.milliseconds(300), .milliseconds(300), .milliseconds(300), .milliseconds(100)])
    }

    @Test("a decision that lands at the deadline wins over expiry")
    func decisionAtDeadline() async throws {
        let store = try Self.store()
        let time = FakeTime(start: Self.start)
        let deadline = Self.start + .seconds(1)
        time.at(deadline) { _ = try? store.resolve(id: "ap_one", to: .approved, by: "alice", reason: nil, at: deadline) }
        let record = try await Self.wait(in: store, time: time, until: deadline)
        #expect(record.state == .approved)
    }

    @Test("an approval already decided is returned at once, without sleeping")
    func alreadyDecided() async throws {
        let store = try Self.store()
        _ = try store.resolve(id: "ap_one", to: .denied, by: "bob", reason: "no", at: Self.start)
        let time = FakeTime(start: Self.start)
        let record = try await Self.wait(in: store, time: time)
        #expect(record.state == .denied)
        #expect(time.sleeps.isEmpty)
    }

    @Test("cancelling the waiting task withdraws the approval")
    func cancelledWhileSleeping() async throws {
        let store = try Self.store()
        let time = FakeTime(start: Self.start)
        // In a task of its own, so cancelling it leaves the test's task alone.
        let record = try await Task {
            try await ApprovalWaiter.wait(
                for: "ap_one",
                in: store,
                until: Self.deadline,
                now: time.now,
                sleep: { duration in
                    time.sleep(duration)
                    // The client's notifications/cancelled arrives while the waiter sleeps.
                    withUnsafeCurrentTask { $0?.cancel() }
                    throw CancellationError()
                }
            )
        }.value
        #expect(record.state == .withdrawn)
        #expect(record.resolutionReason == "the client cancelled the call")
        #expect(try store.get(id: "ap_one")?.state == .withdrawn)
    }

    @Test("cancelling a waiter that sleeps for real wakes it and withdraws the approval")
    func cancelledFromOutside() async throws {
        let store = try Self.store()
        let (polled, pollSeen) = AsyncStream.makeStream(of: Void.self)
        let waiter = Task {
            try await ApprovalWaiter.wait(
                for: "ap_one",
                in: store,
                until: Timestamp.now() + .seconds(600),
                pollEvery: .seconds(600),
                now: Timestamp.now,
                whilePending: { _, _ in pollSeen.yield() }
            )
        }
        var polls = polled.makeAsyncIterator()
        _ = await polls.next()
        waiter.cancel()
        let record = try await waiter.value
        #expect(record.state == .withdrawn)
    }

    @Test("whilePending hears every read that found the approval still pending, with its time")
    func whilePending() async throws {
        let store = try Self.store()
        let time = FakeTime(start: Self.start)
        time.at(Self.start + .seconds(1)) { _ = try? store.resolve(id: "ap_one", to: .approved, by: "a", reason: nil, at: Self.start) }
        let seen = Mutex<[Timestamp]>([])
        _ = try await ApprovalWaiter.wait(
            for: "ap_one",
            in: store,
            until: Self.deadline,
            pollEvery: .milliseconds(250),
            now: time.now,
            sleep: time.sleep,
            whilePending: { _, now in seen.withLock { $0.append(now) } }
        )
        #expect(seen.withLock { $0 } == [0, 250, 500, 750].map { Self.start + .milliseconds($0) })
    }

    @Test("an approval that vanished from the store is an error, so the held call is refused")
    func vanished() async throws {
        let time = FakeTime(start: Self.start)
        await #expect(throws: StoreError.self) { try await Self.wait(in: MemoryApprovalStore(), time: time) }
    }
}
