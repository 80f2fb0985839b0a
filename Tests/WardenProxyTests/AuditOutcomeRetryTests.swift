import Logging
import NIOCore
import Synchronization
import Testing
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenProxy
import WardenStore

/// An audit store whose outcome writes fail a given number of times first, like a disk that is full for a moment.
final class FlakyAuditStore: AuditStore {
    let inner = MemoryAuditStore()
    let failuresLeft: Mutex<Int>

    init(failures: Int) { failuresLeft = Mutex(failures) }

    func append(_ record: AuditRecord) throws(StoreError) -> Int64 { try inner.append(record) }

    func recordOutcome(id: Int64, outcome: AuditOutcome, upstreamMicroseconds: Int?) throws(StoreError) {
        let fails = failuresLeft.withLock { left in
            defer { left -= 1 }
            return left > 0
        }
        if fails { throw StoreError(code: .cannotWrite, location: "test", message: "database or disk is full") }
        try inner.recordOutcome(id: id, outcome: outcome, upstreamMicroseconds: upstreamMicroseconds)
    }

    func query(_ filter: AuditFilter) throws(StoreError) -> [AuditRecord] { try inner.query(filter) }
    func prune(before time: Timestamp) throws(StoreError) -> Int { try inner.prune(before: time) }
    func summary(since time: Timestamp) throws(StoreError) -> AuditSummary { try inner.summary(since: time) }
}

@Suite("Audit outcomes")
struct AuditOutcomeRetryTests {
    @Test("an outcome write that fails for a moment is retried, not dropped in silence")
    func outcomeWriteIsRetried() async throws {
        let store = FlakyAuditStore(failures: 2)
        let interceptor = SessionInterceptor(
            policy: PolicyHolder(CompiledPolicy(try PolicyLoader.load(yaml: "version: 1\n", fileName: "p.yaml"))),
            identity: SessionIdentity(agentID: "a", sessionID: "s", serverName: "demo"),
            audit: store,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        var deliveries: [Delivery] = []
        interceptor.receiveFromClient(.message(ByteBuffer(string: #"{"jsonrpc":"2.0","id":0,"method":"tools/list"}"#)), into: &deliveries)
        let listing = #"{"jsonrpc":"2.0","id":0,"result":{"tools":[{"name":"echo","inputSchema":{"type":"object"}}]}}"#
        interceptor.receiveFromServer(.message(ByteBuffer(string: listing)), into: &deliveries)
        deliveries.removeAll()
        let call = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}"#
        interceptor.receiveFromClient(.message(ByteBuffer(string: call)), into: &deliveries)
        #expect(deliveries.first?.destination == .server)
        interceptor.receiveFromServer(.message(ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"result":{"content":[]}}"#)), into: &deliveries)
        for work in interceptor.takeStoreWork() { _ = await work.run { _ in } }
        let records = try store.query(AuditFilter())
        #expect(records.count == 1)
        #expect(records.first?.outcome == .result)
    }
}
