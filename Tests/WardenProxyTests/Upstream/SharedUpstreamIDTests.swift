import NIOCore
import Testing
import WardenMCP
@testable import WardenProxy

struct SharedUpstreamIDTests {
    @Test func prefixedIDsComeBackAsTheyWere() throws {
        for raw in ["1", "\"a-1\"", "-7", "\"p3:odd\""] {
            let id = try #require(JSONRPCID(raw: raw))
            let prefixed = SharedStdioUpstream.prefix(id, port: 12)
            let (port, original) = try #require(SharedStdioUpstream.unprefix(prefixed))
            #expect(port == 12)
            #expect(original == id)
        }
        #expect(SharedStdioUpstream.unprefix(try #require(JSONRPCID(raw: "5"))) == nil)
    }

    @Test func progressTokensAreTaggedWithTheirPortAndRestored() throws {
        let request = ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","_meta":{"progressToken":7}}}"#)
        let tagged = try #require(SharedStdioUpstream.prefixingProgressToken(request, port: 4))
        #expect(String(buffer: tagged).contains(#""progressToken":"p4:7""#))
        let progress = ByteBuffer(string: #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p4:7","progress":1}}"#)
        guard case .success(let envelope) = MessageInspector.inspect(progress) else {
            Issue.record("not a message")
            return
        }
        let (port, restored) = try #require(SharedStdioUpstream.unprefixingProgress(progress, params: envelope.params))
        #expect(port == 4)
        #expect(String(buffer: restored) == #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":7,"progress":1}}"#)
    }
}
