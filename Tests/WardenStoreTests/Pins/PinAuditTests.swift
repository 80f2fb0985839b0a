import Testing
import WardenPolicy
import WardenStore

/// The audit trail of pinning: each change, and each acceptance with who made it and which fingerprints it swapped.
struct PinAuditTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
    static let old = String(repeating: "a", count: 64)
    static let new = String(repeating: "b", count: 64)

    @Test("a change record names the server, the tool and both fingerprints' first 12 hex digits")
    func changeRecord() {
        let record = PinAudit.changeRecord(server: "bank", tool: "transfer", old: Self.old, new: Self.new, sessionID: "s1", at: Self.start)
        #expect(record.decision == .pinChanged && record.server == "bank" && record.tool == "transfer" && record.sessionID == "s1")
        #expect(record.reason?.contains("aaaaaaaaaaaa→bbbbbbbbbbbb") == true)
        #expect(record.reason?.contains("aaaaaaaaaaaaa") == false)
        #expect(PinAudit.changeRecord(server: "b", tool: "t", old: nil, new: Self.new, sessionID: "s", at: Self.start).reason?
            .contains("new tool held for review none→bbbbbbbbbbbb") == true)
    }

    @Test("accepting through PinAudit writes one record per accepted tool, naming who accepted and the swap")
    func acceptWritesRecords() throws {
        let pins = MemoryPinStore()
        let audit = MemoryAuditStore()
        let first = [PinObservation(tool: "a", fingerprint: Self.old, definition: "{}"), PinObservation(tool: "b", fingerprint: Self.old, definition: "{}")]
        _ = try pins.observe(server: "bank", tools: first, holdNew: false, at: Self.start)
        #expect(try PinAudit.accept(server: "bank", tool: "a", by: "alice", via: "cli", pins: pins, audit: audit, at: Self.start) == nil)
        let second = first.map { PinObservation(tool: $0.tool, fingerprint: Self.new, definition: "{\"v\":2}") }
        _ = try pins.observe(server: "bank", tools: second, holdNew: false, at: Self.start)
        let accepted = try PinAudit.accept(server: "bank", tool: "a", by: "alice", via: "cli", pins: pins, audit: audit, at: Self.start)
        #expect(accepted?.trustedFingerprint == Self.new)
        #expect(try PinAudit.acceptAll(server: "bank", by: "bob", via: "admin-api", pins: pins, audit: audit, at: Self.start).map(\.tool) == ["b"])
        let records = try audit.query(AuditFilter())
        #expect(records.map(\.decision) == [.pinAccepted, .pinAccepted])
        #expect(records.map(\.tool) == ["a", "b"])
        #expect(records.map(\.sessionID) == ["cli", "admin-api"])
        #expect(records[0].reason == "bank/a: definition aaaaaaaaaaaa→bbbbbbbbbbbb accepted by alice")
        #expect(records[1].reason == "bank/b: definition aaaaaaaaaaaa→bbbbbbbbbbbb accepted by bob")
    }
}
