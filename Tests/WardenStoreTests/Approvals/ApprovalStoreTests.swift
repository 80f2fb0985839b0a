import Foundation
import Testing
import WardenPolicy
import WardenStore
import WardenTesting

/// The behaviour both approval stores share, run against each: memory, and a real SQLite file.
struct ApprovalStoreTests {
    /// The stores under test, by name (Swift Testing arguments must be printable).
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case memory, sqlite
        var description: String { rawValue }
    }

    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    static func withStore(_ kind: Kind, _ body: (any ApprovalStore) throws -> Void) async throws {
        switch kind {
        case .memory:
            try body(MemoryApprovalStore())
        case .sqlite:
            try await withTemporaryDirectory { directory in try body(SQLiteApprovalStore(path: directory + "/warden.db")) }
        }
    }

    static func record(_ id: String, createdAfter seconds: Int64 = 0, owner: String? = "proxy-1") -> ApprovalRecord {
        ApprovalRecord(
            id: id,
            createdAt: start + .seconds(seconds),
            expiresAt: start + .seconds(seconds + 300),
            sessionID: "session-1",
            tool: "write_record",
            ownerInstance: owner
        )
    }

    @Test("a record reads back exactly as written, with every field set or every optional field empty", arguments: Kind.allCases)
    func roundTrip(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let full = ApprovalRecord(
                id: "ap_full",
                createdAt: Self.start,
                expiresAt: Self.start + .seconds(300),
                agentID: "bot",
                sessionID: "session-1",
                server: "records",
                tool: "write_record",
                arguments: #"{"id":"legal-7"}"#,
                argumentsDigest: "abc123",
                rule: "legal records need a human",
                reason: "Legal hold records change only with a person's consent",
                state: .pending,
                ownerInstance: "1234:abcd"
            )
            let bare = ApprovalRecord(id: "ap_bare", createdAt: Self.start, expiresAt: Self.start, sessionID: "s", tool: "t")
            try store.create(full)
            try store.create(bare)
            #expect(try store.get(id: "ap_full") == full)
            #expect(try store.get(id: "ap_bare") == bare)
            #expect(try store.get(id: "ap_missing") == nil)
        }
    }

    @Test("an id is never reused: creating a second record with it fails", arguments: Kind.allCases)
    func duplicateID(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            try store.create(Self.record("ap_one"))
            #expect(throws: StoreError.self) { try store.create(Self.record("ap_one", createdAfter: 5)) }
            #expect(try store.get(id: "ap_one")?.createdAt == Self.start)
        }
    }

    @Test("resolving records who, why and when; a second resolution changes nothing and returns the first", arguments: Kind.allCases)
    func resolveOnce(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            try store.create(Self.record("ap_one"))
            let approved = try store.resolve(id: "ap_one", to: .approved, by: "alice", reason: "fine", at: Self.start + .seconds(9))
            #expect(approved?.state == .approved)
            #expect(approved?.resolvedBy == "alice")
            #expect(approved?.resolutionReason == "fine")
            #expect(approved?.resolvedAt == Self.start + .seconds(9))
            let denied = try store.resolve(id: "ap_one", to: .denied, by: "bob", reason: "no", at: Self.start + .seconds(10))
            #expect(denied == approved)
            #expect(try store.get(id: "ap_one") == approved)
            #expect(try store.resolve(id: "ap_missing", to: .denied, by: "bob", reason: nil, at: Self.start) == nil)
        }
    }

    @Test("resolving to pending is not a resolution: the record stays pending with no resolver", arguments: Kind.allCases)
    func resolveToPending(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            try store.create(Self.record("ap_one"))
            let after = try store.resolve(id: "ap_one", to: .pending, by: "mallory", reason: nil, at: Self.start + .seconds(1))
            #expect(after == Self.record("ap_one"))
        }
    }

    @Test("list returns the chosen states newest first, up to the limit", arguments: Kind.allCases)
    func listFilters(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            for (offset, id) in ["ap_a", "ap_b", "ap_c", "ap_d"].enumerated() {
                try store.create(Self.record(id, createdAfter: Int64(offset)))
            }
            _ = try store.resolve(id: "ap_b", to: .denied, by: "alice", reason: "no", at: Self.start + .seconds(10))
            _ = try store.resolve(id: "ap_c", to: .withdrawn, by: "warden", reason: nil, at: Self.start + .seconds(10))
            #expect(try store.list(states: [.pending], limit: nil).map(\.id) == ["ap_d", "ap_a"])
            #expect(try store.list(states: nil, limit: nil).map(\.id) == ["ap_d", "ap_c", "ap_b", "ap_a"])
            #expect(try store.list(states: nil, limit: 2).map(\.id) == ["ap_d", "ap_c"])
            #expect(try store.list(states: [.denied, .withdrawn], limit: nil).map(\.id) == ["ap_c", "ap_b"])
            #expect(try store.list(states: [.approved], limit: nil).isEmpty)
        }
    }

    @Test("at start-up, pending records past expiry or held by a gone proxy expire; live and decided ones stay", arguments: Kind.allCases)
    func expireOrphans(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            try store.create(Self.record("ap_live", owner: "alive"))
            try store.create(Self.record("ap_gone", owner: "gone"))
            try store.create(Self.record("ap_unowned", owner: nil))
            try store.create(Self.record("ap_late", createdAfter: -400, owner: "alive"))
            try store.create(Self.record("ap_decided", owner: "gone"))
            _ = try store.resolve(id: "ap_decided", to: .approved, by: "alice", reason: nil, at: Self.start + .seconds(1))
            let decided = try store.get(id: "ap_decided")

            let time = Self.start + .seconds(2)
            let count = try store.expireOrphans(at: time) { $0 == "alive" }

            #expect(count == 3)
            #expect(try store.get(id: "ap_live")?.state == .pending)
            #expect(try store.get(id: "ap_decided") == decided)
            for id in ["ap_gone", "ap_unowned", "ap_late"] {
                let record = try #require(try store.get(id: id))
                #expect(record.state == .expired)
                #expect(record.resolvedAt == time)
                #expect(record.resolvedBy == "warden")
            }
            #expect(try store.get(id: "ap_late")?.resolutionReason == "timed out")
            #expect(try store.get(id: "ap_gone")?.resolutionReason == "the proxy holding the call is gone")
            #expect(try store.expireOrphans(at: time) { $0 == "alive" } == 0)
        }
    }

    @Test("a record written through one SQLite connection is seen and resolved through another, as two processes do")
    func sharedFile() async throws {
        try await withTemporaryDirectory { directory in
            let proxy = try SQLiteApprovalStore(path: directory + "/warden.db")
            let cli = try SQLiteApprovalStore(path: directory + "/warden.db")
            try proxy.create(Self.record("ap_one"))
            #expect(try cli.list(states: [.pending], limit: nil).map(\.id) == ["ap_one"])
            _ = try cli.resolve(id: "ap_one", to: .approved, by: "alice", reason: nil, at: Self.start + .seconds(3))
            #expect(try proxy.get(id: "ap_one")?.state == .approved)
        }
    }

    @Test("the DSN opens the store it names, and the SQLite file is shared with the other stores")
    func dsn() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/warden.db"
            _ = try SQLiteLimitStore(path: path)
            let store = try StoreDSN.sqlite(path: path).makeApprovalStore()
            try store.create(Self.record("ap_one"))
            #expect(try SQLiteApprovalStore(path: path).get(id: "ap_one") != nil)
            #expect(try StoreDSN.memory.makeApprovalStore() is MemoryApprovalStore)
            #expect(throws: StoreError.self) { try StoreDSN(kind: .postgres, location: "postgres://db/warden").makeApprovalStore() }
        }
    }

    @Test("ids are ap_ and 16 base32 characters, and do not repeat")
    func ids() {
        let ids = (0..<1000).map { _ in ApprovalRecord.makeID() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("ap_"))
            #expect(id.dropFirst(3).count == 16)
            #expect(id.dropFirst(3).allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
        }
    }

    @Test("the state names read back as the states")
    func stateNames() {
        #expect(ApprovalState.all.map(\.description) == ["pending", "approved", "denied", "expired", "withdrawn"])
        #expect(ApprovalState.all.map { ApprovalState(name: $0.description) } == ApprovalState.all)
        #expect(ApprovalState(name: "maybe") == nil)
    }
}
