import Foundation
import NIOCore
import Testing
import WardenGateway
import WardenPolicy
import WardenTesting

struct GatewayConfigTests {
    static let hash = String(repeating: "ab", count: 32)

    func load(_ yaml: String, environment: [String: String] = [:], base: String = "/nonexistent") throws -> GatewayConfig {
        try GatewayConfigLoader.load(yaml: yaml, fileName: "gateway.yaml", baseDirectory: base, environment: environment)
    }

    func problems(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try GatewayConfigLoader.load(yaml: yaml, fileName: "gateway.yaml", baseDirectory: "/nonexistent", environment: environment)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aFullConfigLoads() throws {
        let config = try load(
            """
            listen: 0.0.0.0:9000
            store: "memory:"
            session_idle_timeout: 10m
            event_loops: 3
            call_timeout: 30s
            allowed_origins: [https://console.example]
            servers:
              local:
                command: [my-server, --flag]
                args: [--more]
                env: {REGION: "${REGION}"}
                policy: {version: 1, default: deny}
              remote:
                url: https://tickets.example/mcp
                headers: {Authorization: "Bearer ${TOKEN}"}
                timeout: 20s
                policy:
                  version: 1
                  hide: [delete_ticket]
            agents:
              - id: claims-bot
                key_sha256: "\(Self.hash)"
                groups: [claims, night]
            jwt:
              secret: "${JWT_SECRET}"
              issuer: https://id.example
              audience: warden
            aggregate: [local, remote]
            audit: false
            """,
            environment: ["REGION": "eu-west-1", "TOKEN": "t0k3n", "JWT_SECRET": String(repeating: "s", count: 40)]
        )
        #expect(config.listen == ListenAddress(host: "0.0.0.0", port: 9000))
        #expect(!config.listen.isLoopback)
        #expect(config.store == "memory:")
        #expect(config.sessionIdleTimeout == .seconds(600))
        #expect(config.eventLoops == 3)
        #expect(config.callTimeout == .seconds(30))
        #expect(config.allowedOrigins == ["https://console.example"])
        #expect(config.servers.map(\.name) == ["local", "remote"])
        guard case .stdio(let command, let environment) = config.servers[0].transport else {
            Issue.record("local should be a stdio server")
            return
        }
        #expect(command == ["my-server", "--flag", "--more"])
        #expect(environment == ["REGION": "eu-west-1"])
        #expect(config.servers[0].policy.defaultAction == .deny)
        guard case .http(let url, let headers) = config.servers[1].transport else {
            Issue.record("remote should be an http server")
            return
        }
        #expect(url.absoluteString == "https://tickets.example/mcp")
        #expect(headers.map { "\($0.0)=\($0.1)" } == ["Authorization=Bearer t0k3n"])
        #expect(config.servers[1].requestTimeout == .seconds(20))
        #expect(config.servers[1].policy.hide == ["delete_ticket"])
        #expect(config.agents == [AgentKey(id: "claims-bot", keySHA256: Self.hash, groups: ["claims", "night"])])
        #expect(config.jwt?.issuer == "https://id.example")
        #expect(config.jwt?.audience == "warden")
        #expect(config.aggregate == ["local", "remote"])
        #expect(config.audit == false)
        #expect(config.requiresCredentials)
    }

    @Test func defaultsAreLoopbackAndNoCredentials() throws {
        let config = try load("servers:\n  a:\n    command: x\n    policy: {version: 1}\n")
        #expect(config.listen == ListenAddress(host: "127.0.0.1", port: 8787))
        #expect(config.listen.isLoopback)
        #expect(!config.requiresCredentials)
        #expect(config.aggregate == nil)
        #expect(config.maxMessageSize == 4 * 1024 * 1024)
        #expect(config.eventLoops == max(1, System.coreCount / 2))
    }

    @Test func unknownKeysGetTheirPositionAndASuggestion() {
        let found = problems("servers:\n  a:\n    comand: x\n    policy: {version: 1}\n")
        #expect(found.contains { $0.hasPrefix("gateway.yaml:3:5:") && $0.contains("did you mean `command`?") })
    }

    @Test func aMissingSecretIsAnErrorNotAnEmptyString() {
        let found = problems("servers:\n  a:\n    url: https://x.example/mcp\n    headers: {Authorization: \"Bearer ${NOPE}\"}\n    policy: {version: 1}\n")
        #expect(found.contains { $0.contains("`NOPE` is not set") })
    }

    @Test func aServerNeedsExactlyOneTransportAndAPolicy() {
        #expect(problems("servers:\n  a:\n    policy: {version: 1}\n").contains { $0.contains("needs `command`") })
        #expect(problems("servers:\n  a:\n    command: x\n    url: http://h/mcp\n    policy: {version: 1}\n").contains { $0.contains("both `command` and `url`") })
        #expect(problems("servers:\n  a:\n    command: x\n").contains { $0.contains("needs a `policy:`") })
        #expect(problems("servers:\n  a__b:\n    command: x\n    policy: {version: 1}\n").contains { $0.contains("no `__`") })
    }

    @Test func inlinePolicyErrorsPointIntoTheConfigFile() {
        let found = problems("servers:\n  a:\n    command: x\n    policy:\n      version: 1\n      defualt: allow\n")
        #expect(found.contains { $0.contains("gateway.yaml:6:7") && $0.contains("default") }, "\(found)")
    }

    @Test func policyFilesAreReadRelativeToTheConfig() throws {
        let directory = try TemporaryDirectory()
        try "version: 1\ndefault: deny\n".write(toFile: directory.path + "/p.yaml", atomically: true, encoding: .utf8)
        let config = try load("servers:\n  a:\n    command: x\n    policy: p.yaml\n", base: directory.path)
        #expect(config.servers[0].policy.defaultAction == .deny)
        #expect(config.servers[0].policyPath == directory.path + "/p.yaml")
    }

    @Test func badValuesAreReported() {
        let yaml = """
            listen: nowhere
            max_message_size: 10
            event_loops: 0
            servers:
              a: {command: x, policy: {version: 1}}
            agents:
              - id: bot
                key_sha256: short
            aggregate: [a, missing]
            jwt: {secret: tooshort}
            """
        let found = problems(yaml)
        #expect(found.contains { $0.contains("`listen` must be host:port") })
        #expect(found.contains { $0.contains("at least 1024") })
        #expect(found.contains { $0.contains("`event_loops` must be a number of threads from 1 to 256") })
        #expect(found.contains { $0.contains("64 hex digits") })
        #expect(found.contains { $0.contains("`missing`, which is not one of `servers`") })
        #expect(found.contains { $0.contains("at least 32 bytes") })
    }

    @Test(arguments: [
        ("127.0.0.1:8787", ListenAddress(host: "127.0.0.1", port: 8787)),
        ("9000", ListenAddress(host: "127.0.0.1", port: 9000)),
        ("[::1]:80", ListenAddress(host: "::1", port: 80)),
        ("0.0.0.0:0", ListenAddress(host: "0.0.0.0", port: 0)),
    ])
    func listenAddressesParse(text: String, expected: ListenAddress) {
        #expect(ListenAddress.parse(text) == expected)
    }

    @Test func badListenAddressesDoNotParse() {
        for text in ["", ":80", "host:", "host:99999", "[::1]"] { #expect(ListenAddress.parse(text) == nil, "\(text)") }
    }

    func errors(_ yaml: String, environment: [String: String] = [:]) -> [PolicyError] {
        do {
            _ = try GatewayConfigLoader.load(yaml: yaml, fileName: "gateway.yaml", baseDirectory: "/nonexistent", environment: environment)
            return []
        } catch {
            return error.errors
        }
    }

    @Test("a config error is coded and carries the line and column of the value to fix, as a policy error does")
    func errorsAreCodedAndPositioned() throws {
        let unknown = try #require(errors("servers:\n  a:\n    comand: x\n    policy: {version: 1}\n").first)
        #expect(unknown.code == .unknownKey)
        #expect(unknown.position == SourcePosition(fileName: "gateway.yaml", line: 3, column: 5))
        let unset = try #require(errors("servers:\n  a:\n    url: https://x.example/mcp\n    headers: {A: \"${NOPE}\"}\n    policy: {version: 1}\n").first)
        #expect(unset.code == .unsetVariable)
        #expect(unset.position.line == 4)
        let broken = try #require(errors("servers: [\n").first)
        #expect(broken.code == .syntax)
        #expect(broken.description.hasPrefix("gateway.yaml:2:"))
    }

    @Test("durations in the gateway config are read as in a policy: decimals allowed, zero refused")
    func durationsAsInAPolicy() throws {
        let config = try load("call_timeout: 1.5s\nservers:\n  a:\n    command: x\n    policy: {version: 1}\n")
        #expect(config.callTimeout == .milliseconds(1_500))
        let zero = try #require(errors("call_timeout: 0s\nservers:\n  a:\n    command: x\n    policy: {version: 1}\n").first)
        #expect(zero.code == .badValue)
        #expect(zero.position == SourcePosition(fileName: "gateway.yaml", line: 1, column: 15))
    }
}
