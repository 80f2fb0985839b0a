import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import WardenGateway

/// The gateway's HTTP handlers in process, through its router: routing, credentials, origins, session ownership and
/// the bodies of its refusals.
struct GatewayRoutingTests {
    /// SHA-256 of `alice-key` and `bob-key`.
    static let alice = "72ee9d4355ccb9d3a4c9dbf37382e38e75c1b1a225b5bd1f729ee91bbda30c20"
    static let bob = "9b94dc1a51a38769f135edf04033ad7f2f487b6c25929be7a861cfc1ab10cf98"

    static let config = """
        agents:
          - id: alice
            key_sha256: "\(alice)"
          - id: bob
            key_sha256: "\(bob)"
        servers:
          demo:
            command: [/bin/cat]
            policy: {version: 1}
        """

    /// Runs `body` against a router over a gateway loaded from `yaml`; no upstream is started unless a session is.
    func withGateway(_ yaml: String = config, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let config = try GatewayConfigLoader.load(yaml: yaml, fileName: "gateway.yaml", baseDirectory: "/nonexistent", environment: [:])
        let gateway = try await Gateway(config: config, limits: nil, approvals: nil, audit: nil, metrics: nil, logger: Logger(label: "test"))
        let app = Application(router: gateway.makeRouter(aggregates: AggregateRegistry()))
        var failure: (any Error)?
        do { try await app.test(.router, body) } catch { failure = error }
        await gateway.releaseResources()
        if let failure { throw failure }
    }

    static func headers(key: String? = "alice-key", session: String? = nil, origin: String? = nil) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.accept] = "application/json, text/event-stream"
        if let key { headers[.authorization] = "Bearer \(key)" }
        if let session { headers[HTTPField.Name("Mcp-Session-Id")!] = session }
        if let origin { headers[HTTPField.Name("Origin")!] = origin }
        return headers
    }

    static let ping = ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)

    @Test("an unknown server is a 404 that lists the servers served; an unknown path is a plain 404")
    func unknownServer() async throws {
        try await withGateway { client in
            try await client.execute(uri: "/mcp/nope", method: .post, headers: Self.headers(), body: Self.ping) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("no server named `nope`; this gateway serves /mcp/demo"))
            }
            try await client.execute(uri: "/elsewhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == "Not Found\n")
            }
        }
    }

    @Test("a method MCP does not use is 405 with an Allow header; health answers without credentials")
    func methodsAndHealth() async throws {
        try await withGateway { client in
            try await client.execute(uri: "/mcp/demo", method: .put, headers: Self.headers()) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, POST, DELETE")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
        }
    }

    @Test("a request without a key or with a wrong one is 401 with a JSON-RPC error and a WWW-Authenticate challenge")
    func credentials() async throws {
        try await withGateway { client in
            for key in [nil, "wrong-key"] {
                try await client.execute(uri: "/mcp/demo/", method: .post, headers: Self.headers(key: key), body: Self.ping) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"warden\"") == true)
                    #expect(String(buffer: response.body).contains(#""code":-32600"#))
                }
            }
        }
    }

    @Test("a page from another site is refused with 403; the loopback origin is let through to the credential check")
    func origins() async throws {
        try await withGateway { client in
            try await client.execute(uri: "/mcp/demo", method: .post, headers: Self.headers(origin: "https://evil.example"), body: Self.ping) {
                #expect($0.status == .forbidden)
                #expect(String(buffer: $0.body) == "Forbidden: origin https://evil.example is not allowed\n")
            }
            try await client.execute(uri: "/mcp/demo", method: .post, headers: Self.headers(key: nil, origin: "http://localhost:3000"), body: Self.ping) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test("a session id the gateway does not know, or that another agent holds, is refused with 404")
    func sessionOwnership() async throws {
        try await withGateway { client in
            try await client.execute(uri: "/mcp/demo", method: .post, headers: Self.headers(session: "made-up"), body: Self.ping) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("Session not found"))
                #expect(String(buffer: response.body).contains(#""id":1"#))
            }
            try await client.execute(uri: "/mcp/demo", method: .delete, headers: Self.headers(key: "bob-key", session: "made-up")) {
                #expect($0.status == .notFound)
            }
        }
    }

    /// A stdio server that answers every line with an `initialize` result for id 1: enough for a session to open.
    static let answeringConfig = """
        agents:
          - id: alice
            key_sha256: "\(alice)"
          - id: bob
            key_sha256: "\(bob)"
        servers:
          demo:
            command:
              - /bin/sh
              - -c
              - |
                while read -r line; do echo '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"s","version":"1"}}}'; done
            policy: {version: 1}
        """

    @Test("a session alice opened is hers: bob cannot post to it or end it, and alice can end it")
    func openedSessionBelongsToItsAgent() async throws {
        let initialize = ByteBuffer(
            string: #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
        )
        try await withGateway(Self.answeringConfig) { client in
            let session = try await client.execute(uri: "/mcp/demo", method: .post, headers: Self.headers(), body: initialize) { response in
                #expect(response.status == .ok)
                return response.headers[HTTPField.Name("Mcp-Session-Id")!]
            }
            let id = try #require(session)
            try await client.execute(uri: "/mcp/demo", method: .post, headers: Self.headers(key: "bob-key", session: id), body: Self.ping) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/mcp/demo", method: .delete, headers: Self.headers(key: "bob-key", session: id)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/mcp/demo", method: .delete, headers: Self.headers(session: id)) {
                #expect($0.status.code / 100 == 2)
            }
        }
    }

    @Test("a body that is not JSON is a 400 with a JSON-RPC parse error")
    func malformedBody() async throws {
        try await withGateway { client in
            try await client.execute(uri: "/mcp/demo", method: .post, headers: Self.headers(), body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body).contains(#""code":-32700"#))
            }
        }
    }
}
