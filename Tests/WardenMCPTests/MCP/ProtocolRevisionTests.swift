import Testing
import WardenJSON
import WardenMCP

struct ProtocolRevisionTests {
    @Test("orders revisions by date and marks 2026-07-28 and later as stateless")
    func ordering() {
        #expect(ProtocolRevision.known == ProtocolRevision.known.sorted())
        #expect(ProtocolRevision.v2025_06_18 < .v2025_11_25)
        #expect(ProtocolRevision.known.filter(\.isStateless) == [.v2026_07_28])
        #expect(ProtocolRevision("2027-01-01").isStateless)
        #expect(ProtocolRevision("DRAFT-2026-v1").isStateless)
        #expect(!ProtocolRevision("2026-07-27").isStateless)
        #expect(ProtocolRevision.v2025_03_26.allowsBatches && !ProtocolRevision.v2025_06_18.allowsBatches)
    }
}
