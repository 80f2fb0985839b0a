import Foundation
import Synchronization
import Testing
import WardenPolicy
import WardenStore
import WardenTesting

/// The pinning rules, the same for every kind of store: first sight trusts (or holds), a change is held beside the
/// trusted definition until accepted, and going back clears it.
struct PinStoreTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    /// Runs `body` with a fresh store of `kind`, and a way to open another one on the same data.
    static func withStore(_ kind: Kind, _ body: (any PinStore, () throws -> any PinStore) async throws -> Void) async throws {
        switch kind {
        case .memory:
            let store = MemoryPinStore()
            try await body(store, { store })
        case .sqlite:
            try await withTemporaryDirectory { directory in
                let path = directory + "/warden.db"
                try await body(try SQLitePinStore(path: path), { try SQLitePinStore(path: path) })
            }
        }
    }

    static func tool(_ name: String, _ version: String) -> PinObservation {
        PinObservation(tool: name, fingerprint: "\(name)-\(version)-fingerprint", definition: #"{"name":"\#(name)","v":"\#(version)"}"#)
    }

    @Test("a tool seen first is trusted, and seen again unchanged stays trusted", arguments: Kind.allCases)
    func firstSeenIsTrusted(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: false, at: Self.start) == [.trusted])
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: false, at: Self.start + .seconds(5)) == [.trusted])
            let record = try #require(try store.get(server: "fs", tool: "read"))
            #expect(record.trustedFingerprint == "read-1-fingerprint")
            #expect(record.trustedDefinition == #"{"name":"read","v":"1"}"#)
            #expect(!record.isHeld)
            #expect(record.firstSeen == Self.start)
            #expect(record.changedAt == nil)
        }
    }

    @Test("two names Swift's String calls equal (é composed and decomposed) are two tools, each with its own pin", arguments: Kind.allCases)
    func lookalikeNames(kind: Kind) async throws {
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        #expect(composed == decomposed)  // the trap: canonical equivalence
        try await Self.withStore(kind) { (store: any PinStore, _) async throws in
            #expect(try store.observe(server: "fs", tools: [Self.tool(composed, "1")], holdNew: false, at: Self.start) == [.trusted])
            // The server adds the lookalike, new, while new tools are held: the reviewed tool stays trusted, the new one is held.
            let both = [Self.tool(composed, "1"), Self.tool(decomposed, "1")]
            #expect(try store.observe(server: "fs", tools: both, holdNew: true, at: Self.start) == [.trusted, .new])
            #expect(try store.list(server: "fs").count == 2)
            #expect(try store.get(server: "fs", tool: decomposed)?.trustedFingerprint == nil)
            #expect(try store.get(server: "fs", tool: composed)?.trustedFingerprint == Self.tool(composed, "1").fingerprint)
        }
    }

    @Test("with new tools held, a tool seen first is pending with nothing trusted until accepted", arguments: Kind.allCases)
    func heldNew(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: true, at: Self.start) == [.new])
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: true, at: Self.start) == [.new])
            let held = try #require(try store.get(server: "fs", tool: "read"))
            #expect(held.isHeld && held.trustedFingerprint == nil && held.stateName == "held-new")
            let accepted = try #require(try store.accept(server: "fs", tool: "read", by: "alice", at: Self.start + .seconds(9)))
            #expect(accepted.trustedFingerprint == "read-1-fingerprint" && !accepted.isHeld)
            #expect(accepted.acceptedBy == "alice" && accepted.acceptedAt == Self.start + .seconds(9))
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: true, at: Self.start) == [.trusted])
        }
    }

    @Test("a changed definition is held beside the trusted one, and going back clears it", arguments: Kind.allCases)
    func changeThenRevert(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            _ = try store.observe(server: "fs", tools: [Self.tool("read", "1"), Self.tool("write", "1")], holdNew: false, at: Self.start)
            let changedAt = Self.start + .seconds(60)
            let verdicts = try store.observe(server: "fs", tools: [Self.tool("read", "2"), Self.tool("write", "1")], holdNew: false, at: changedAt)
            #expect(verdicts == [.changed, .trusted])
            let held = try #require(try store.get(server: "fs", tool: "read"))
            #expect(held.trustedFingerprint == "read-1-fingerprint" && held.pendingFingerprint == "read-2-fingerprint")
            #expect(held.pendingDefinition == #"{"name":"read","v":"2"}"# && held.changedAt == changedAt && held.stateName == "changed")
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: false, at: changedAt) == [.trusted])
            let reverted = try #require(try store.get(server: "fs", tool: "read"))
            #expect(!reverted.isHeld && reverted.pendingDefinition == nil && reverted.trustedFingerprint == "read-1-fingerprint")
        }
    }

    @Test("a tool that disappears keeps its pin, and coming back changed is a change", arguments: Kind.allCases)
    func disappearAndReturnChanged(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            _ = try store.observe(server: "fs", tools: [Self.tool("read", "1"), Self.tool("write", "1")], holdNew: false, at: Self.start)
            #expect(try store.observe(server: "fs", tools: [Self.tool("write", "1")], holdNew: false, at: Self.start) == [.trusted])
            #expect(try store.get(server: "fs", tool: "read")?.trustedFingerprint == "read-1-fingerprint")
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "2")], holdNew: false, at: Self.start) == [.changed])
        }
    }

    @Test("accepting makes the pending definition trusted; nothing pending or no pin accepts nothing", arguments: Kind.allCases)
    func accept(kind: Kind) async throws {
        try await Self.withStore(kind) { store, reopen in
            _ = try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: false, at: Self.start)
            #expect(try store.accept(server: "fs", tool: "read", by: "alice", at: Self.start) == nil)
            #expect(try store.accept(server: "fs", tool: "nope", by: "alice", at: Self.start) == nil)
            _ = try store.observe(server: "fs", tools: [Self.tool("read", "2")], holdNew: false, at: Self.start)
            let accepted = try #require(try reopen().accept(server: "fs", tool: "read", by: "alice", at: Self.start + .seconds(1)))
            #expect(accepted.trustedFingerprint == "read-2-fingerprint" && accepted.trustedDefinition == #"{"name":"read","v":"2"}"#)
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "2")], holdNew: false, at: Self.start) == [.trusted])
            #expect(try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: false, at: Self.start) == [.changed])
        }
    }

    @Test("accepting all releases every held tool of one server and no other", arguments: Kind.allCases)
    func acceptAll(kind: Kind) async throws {
        try await Self.withStore(kind) { store, _ in
            let first = [Self.tool("a", "1"), Self.tool("b", "1"), Self.tool("c", "1")]
            _ = try store.observe(server: "fs", tools: first, holdNew: false, at: Self.start)
            _ = try store.observe(server: "git", tools: first, holdNew: false, at: Self.start)
            let second = [Self.tool("a", "2"), Self.tool("b", "1"), Self.tool("c", "2")]
            _ = try store.observe(server: "fs", tools: second, holdNew: false, at: Self.start)
            _ = try store.observe(server: "git", tools: second, holdNew: false, at: Self.start)
            let accepted = try store.acceptAll(server: "fs", by: "bob", at: Self.start)
            #expect(accepted.map(\.tool) == ["a", "c"])
            #expect(try store.list(server: "fs").allSatisfy { !$0.isHeld })
            #expect(try store.list(server: "git").filter(\.isHeld).map(\.tool) == ["a", "c"])
            #expect(try store.list(server: nil).map { "\($0.server)/\($0.tool)" } == ["fs/a", "fs/b", "fs/c", "git/a", "git/b", "git/c"])
        }
    }

    @Test("two sessions observing the same server at once both see the change and leave one consistent pin", arguments: Kind.allCases)
    func racingObservers(kind: Kind) async throws {
        try await Self.withStore(kind) { store, reopen in
            _ = try store.observe(server: "fs", tools: [Self.tool("read", "1")], holdNew: false, at: Self.start)
            let stores = try (0..<8).map { _ in try reopen() }
            let verdicts = Mutex<[PinVerdict?]>([])
            DispatchQueue.concurrentPerform(iterations: stores.count) { index in
                let tools = [Self.tool("read", "2"), Self.tool("new-\(index % 2)", "1")]
                let seen = try? stores[index].observe(server: "fs", tools: tools, holdNew: false, at: Self.start + .seconds(1))
                verdicts.withLock { $0.append(seen?.first) }
            }
            #expect(verdicts.withLock { $0 } == Array(repeating: .changed, count: stores.count))
            let records = try store.list(server: "fs")
            #expect(records.map(\.tool) == ["new-0", "new-1", "read"])
            #expect(records.last?.trustedFingerprint == "read-1-fingerprint" && records.last?.pendingFingerprint == "read-2-fingerprint")
        }
    }
}
