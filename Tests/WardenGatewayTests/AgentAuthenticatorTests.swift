import Foundation
import JWTKit
import Testing
import WardenGateway

struct AgentAuthenticatorTests {
    static let secret = String(repeating: "k", count: 40)

    struct Claims: JWTPayload {
        var sub: String?
        var exp: Double?
        var iss: String?
        var aud: String?
        var groups: [String]?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func token(_ claims: Claims, secret: String = secret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    func authenticator(jwt: Bool = true) async throws -> AgentAuthenticator {
        var settings = JWTSettings(key: .hmacSHA256(secret: Self.secret))
        settings.issuer = "https://id.example"
        settings.audience = "warden"
        let key = AgentKey(id: "claims-bot", keySHA256: AgentAuthenticator.hash(key: "wdn_good"), groups: ["claims"])
        return try await AgentAuthenticator(agents: [key], jwt: jwt ? settings : nil)
    }

    func identity(_ result: Result<AgentIdentity, AuthenticationFailure>) -> AgentIdentity? {
        if case .success(let identity) = result { return identity }
        return nil
    }

    func failure(_ result: Result<AgentIdentity, AuthenticationFailure>) -> String? {
        if case .failure(let failure) = result { return failure.reason }
        return nil
    }

    @Test func apiKeysMapToTheirAgentByHash() async throws {
        let auth = try await authenticator()
        #expect(identity(await auth.authenticate(authorization: "Bearer wdn_good", apiKey: nil)) == AgentIdentity(id: "claims-bot", groups: ["claims"]))
        #expect(identity(await auth.authenticate(authorization: nil, apiKey: "wdn_good"))?.id == "claims-bot")
        #expect(failure(await auth.authenticate(authorization: "Bearer wdn_bad", apiKey: nil))?.contains("not a known API key") == true)
        #expect(failure(await auth.authenticate(authorization: nil, apiKey: nil))?.contains("needs an agent credential") == true)
        #expect(failure(await auth.authenticate(authorization: "Basic abc", apiKey: nil))?.contains("Bearer") == true)
    }

    @Test func theHashIsSHA256Hex() {
        #expect(AgentAuthenticator.hash(key: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func newKeysAreLongRandomAndPrefixed() {
        let keys = Set((0..<100).map { _ in AgentAuthenticator.newKey() })
        #expect(keys.count == 100)
        #expect(keys.allSatisfy { $0.hasPrefix("wdn_") && $0.count == 47 && $0.dropFirst(4).allSatisfy { $0.isLetter || $0.isNumber } })
    }

    @Test func withoutAgentsEveryoneIsAnonymous() async throws {
        let auth = try await AgentAuthenticator(agents: [], jwt: nil)
        #expect(!auth.requiresCredentials)
        #expect(identity(await auth.authenticate(authorization: nil, apiKey: nil)) == .anonymous)
    }

    @Test func aValidJWTNamesTheAgentAndItsGroups() async throws {
        let auth = try await authenticator()
        let claims = Claims(sub: "night-bot", exp: Date().timeIntervalSince1970 + 600, iss: "https://id.example", aud: "warden", groups: ["ops", "night"])
        let result = await auth.authenticate(authorization: "Bearer " + (try await token(claims)), apiKey: nil)
        #expect(identity(result) == AgentIdentity(id: "night-bot", groups: ["ops", "night"]))
    }

    @Test func badJWTsAreRefusedWithTheReason() async throws {
        let auth = try await authenticator()
        let now = Date().timeIntervalSince1970
        let good = Claims(sub: "bot", exp: now + 600, iss: "https://id.example", aud: "warden")
        var expired = good
        expired.exp = now - 3600
        var wrongAudience = good
        wrongAudience.aud = "someone-else"
        var wrongIssuer = good
        wrongIssuer.iss = "https://evil.example"
        var noExpiry = good
        noExpiry.exp = nil
        var noSubject = good
        noSubject.sub = nil
        let cases: [(String, String)] = [
            (try await token(expired), "expired"),
            (try await token(wrongAudience), "audience"),
            (try await token(wrongIssuer), "issuer"),
            (try await token(noExpiry), "`exp`"),
            (try await token(noSubject), "`sub`"),
            (try await token(good, secret: String(repeating: "z", count: 40)), "not accepted"),
        ]
        for (token, expected) in cases {
            let reason = failure(await auth.authenticate(authorization: "Bearer \(token)", apiKey: nil))
            #expect(reason?.contains(expected) == true, "\(expected): \(reason ?? "accepted")")
        }
    }
}
