import Logging
import NIOCore
import Testing
import WardenMCP
import WardenPolicy
@testable import WardenProxy

@Suite("Memory an agent cannot grow")
struct CategoryCacheTests {
    @Test("made-up tool names are classified per call and never kept; only names the server listed are")
    func unlistedNamesAreNotCached() throws {
        let interceptor = SessionInterceptor(
            policy: PolicyHolder(CompiledPolicy(try PolicyLoader.load(yaml: "version: 1\ndefault: deny\n", fileName: "p.yaml"))),
            identity: SessionIdentity(agentID: "a", sessionID: "s", serverName: "demo"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        var deliveries: [Delivery] = []
        for index in 0..<1_000 {
            let call = #"{"jsonrpc":"2.0","id":\#(index),"method":"tools/call","params":{"name":"made_up_\#(index)","arguments":{}}}"#
            interceptor.receiveFromClient(.message(ByteBuffer(string: call)), into: &deliveries)
        }
        #expect(deliveries.count == 1_000)
        #expect(interceptor.categories.isEmpty)
        #expect(interceptor.calls.inflightCount == 0)
    }
}
