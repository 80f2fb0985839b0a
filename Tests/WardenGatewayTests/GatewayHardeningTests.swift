import Foundation
import HTTPTypes
import NIOCore
import Synchronization
import Testing
import WardenMCP
@testable import WardenGateway

/// The gateway's defences against a client that tries to exhaust it or to make headers and body disagree.
struct GatewayHardeningTests {
    static let hash = String(repeating: "ab", count: 32)

    func load(_ yaml: String) throws -> GatewayConfig {
        try GatewayConfigLoader.load(yaml: yaml, fileName: "gateway.yaml", baseDirectory: "/nonexistent", environment: [:])
    }

    static let servers = "servers:\n  demo:\n    command: [server]\n    policy: {version: 1}\n"

    // MARK: Session caps

    @Test("one agent cannot hold more sessions than its cap, and the refusal names the key to raise")
    func perAgentCap() {
        let quota = SessionQuota(maxTotal: 10, maxPerAgent: 2)
        #expect(quota.admit(key: "a1", agent: "alice") == nil)
        #expect(quota.admit(key: "a2", agent: "alice") == nil)
        let refusal = quota.admit(key: "a3", agent: "alice")
        #expect(refusal?.isPerAgent == true)
        #expect(refusal?.message.contains("max_sessions_per_agent") == true)
        #expect(quota.admit(key: "b1", agent: "bob") == nil)
        quota.release(key: "a1")
        #expect(quota.admit(key: "a3", agent: "alice") == nil)
    }

    @Test("the gateway's total cap holds across agents and anonymous clients")
    func totalCap() {
        let quota = SessionQuota(maxTotal: 3, maxPerAgent: 5)
        #expect(quota.admit(key: "1", agent: "alice") == nil)
        #expect(quota.admit(key: "2", agent: "bob") == nil)
        #expect(quota.admit(key: "3", agent: nil) == nil)
        let refusal = quota.admit(key: "4", agent: "carol")
        #expect(refusal?.isPerAgent == false)
        #expect(refusal?.message.contains("max_sessions") == true)
        #expect(quota.count == 3)
    }

    @Test("a shared session admitted again is counted once, and releasing an unknown key changes nothing")
    func sharedAndUnknownKeys() {
        let quota = SessionQuota(maxTotal: 2, maxPerAgent: 2)
        #expect(quota.admit(key: "demo\u{0}alice", agent: "alice") == nil)
        #expect(quota.admit(key: "demo\u{0}alice", agent: "alice") == nil)
        quota.release(key: "never-admitted")
        #expect(quota.count == 1)
        #expect(quota.admit(key: "other", agent: "alice") == nil)
        #expect(quota.admit(key: "third", agent: "alice") != nil)
    }

    // MARK: Config

    @Test("the exhaustion limits have defaults and can be set in the config")
    func limitsInTheConfig() throws {
        let defaults = try load(Self.servers)
        #expect(defaults.headerTimeout == .seconds(10))
        #expect(defaults.keepAliveTimeout == .seconds(60))
        #expect(defaults.maxConnections == 1024)
        #expect(defaults.maxSessions == 256)
        #expect(defaults.maxSessionsPerAgent == 16)
        #expect(defaults.metricsTokenSHA256 == nil)
        let set = try load(
            Self.servers
                + "header_timeout: 3s\nkeep_alive_timeout: 2m\nmax_connections: 50\nmax_sessions: 9\nmax_sessions_per_agent: 2\n"
                + "metrics: {token_sha256: \"\(Self.hash)\"}\n"
        )
        #expect(set.headerTimeout == .seconds(3))
        #expect(set.keepAliveTimeout == .seconds(120))
        #expect(set.maxConnections == 50)
        #expect(set.maxSessions == 9)
        #expect(set.maxSessionsPerAgent == 2)
        #expect(set.metrics)
        #expect(set.metricsTokenSHA256 == Self.hash)
    }

    @Test("a cap of zero or a bad metrics token is refused with the key's name")
    func badLimits() {
        for (yaml, key) in [("max_sessions: 0\n", "max_sessions"), ("max_connections: lots\n", "max_connections"), ("metrics: {token_sha256: x}\n", "metrics.token_sha256")] {
            do {
                _ = try GatewayConfigLoader.load(yaml: Self.servers + yaml, fileName: "gateway.yaml", baseDirectory: "/nonexistent", environment: [:])
                Issue.record("\(yaml) loaded")
            } catch {
                #expect(error.problems.contains { $0.contains(key) }, "\(error.problems)")
            }
        }
    }

    // MARK: Headers against the body

    func mismatch(_ body: String, _ headers: [(String, String)]) throws -> String? {
        let buffer = ByteBuffer(string: body)
        guard case .success(let envelope) = MessageInspector.inspect(buffer) else { throw Failure() }
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return RoutingHeaders.mismatch(fields, message: buffer, envelope: envelope)
    }

    struct Failure: Error {}

    static let modernCall = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}"#

    @Test("a protocol version header that disagrees with _meta is refused even with no routing header")
    func versionWithoutRoutingHeaders() throws {
        let problem = try mismatch(Self.modernCall, [("MCP-Protocol-Version", "2025-11-25")])
        #expect(problem?.contains("MCP-Protocol-Version") == true)
        #expect(try mismatch(Self.modernCall, [("MCP-Protocol-Version", "2026-07-28")]) == nil)
        // An escaped key is the same key to a server, so it is read too.
        let escaped = Self.modernCall.replacingOccurrences(of: "protocolVersion", with: #"protocolVersio\u006e"#)
        #expect(try mismatch(escaped, [("MCP-Protocol-Version", "2025-11-25")]) != nil)
        // A version in _meta that is not text disagrees with any header.
        let number = Self.modernCall.replacingOccurrences(of: #""2026-07-28""#, with: "20260728")
        #expect(try mismatch(number, [("MCP-Protocol-Version", "2026-07-28")]) != nil)
    }

    @Test("an Mcp-Param header that could name two arguments is refused")
    func ambiguousParamHeader() throws {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"Region":"us","region":"eu"}}}"#
        let problem = try mismatch(body, [("Mcp-Param-Region", "eu")])
        #expect(problem?.contains("could name any of") == true)
        let single = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"Region":"eu"}}}"#
        #expect(try mismatch(single, [("Mcp-Param-Region", "eu")]) == nil)
    }

    @Test("header names match argument names by ASCII case only: a Kelvin sign is not a K")
    func kelvinSignIsNotK() throws {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"\u212Aey":"public"}}}"#
        let problem = try mismatch(body, [("Mcp-Param-Key", "public")])
        #expect(problem?.contains("does not have") == true)
    }

    @Test("header values are compared byte for byte, not by canonical equivalence")
    func canonicalEquivalentValues() throws {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"city":"Zu\u0308rich"}}}"#
        let precomposed = "=?base64?" + Data("Z\u{00FC}rich".utf8).base64EncodedString() + "?="
        #expect(try mismatch(body, [("Mcp-Param-City", precomposed)]) != nil)
    }

    // MARK: What goes upstream

    @Test("a raw line separator goes upstream escaped, and a raw CR never goes upstream: its request is answered with an error")
    func nothingUpstreamHoldsALineBreak() async throws {
        let helper = GatewaySessionTests()
        let upstream = FakeUpstream()
        let session = try helper.makeSession(upstream: upstream)
        _ = try await helper.post(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"note\":\"a\u{2028}b\"}}")
        let sent = try await helper.sent(upstream, count: 1)
        #expect(sent[0].contains(#"a\u2028b"#))
        #expect(!sent[0].unicodeScalars.contains("\u{2028}"))

        let smuggling = try #require(
            try await helper.post(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":{\"a\":\r{\"b\":1}}}")
        )
        let answer = try #require(await smuggling.next())
        #expect(answer.isFinal && String(buffer: answer.message).contains("carriage return"))
        #expect(upstream.sent.withLock { $0.count } == 1)
    }
}
