import Crypto
import Foundation
import JWTKit

/// Who made an HTTP request, as the policy sees it.
public struct AgentIdentity: Sendable, Hashable {
    public var id: String?
    public var groups: [String]

    public init(id: String?, groups: [String] = []) {
        self.id = id
        self.groups = groups
    }

    /// A caller on a gateway that asks for no credentials.
    public static let anonymous = AgentIdentity(id: nil)
}

/// Why a request's credential was refused; the text goes into the 401's body and `WWW-Authenticate`.
public struct AuthenticationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Maps an `Authorization: Bearer …` (or `X-API-Key`) credential to an agent: an API key by its SHA-256, or a JWT
/// verified locally with the configured key, issuer, audience and expiry.
public final class AgentAuthenticator: Sendable {
    private let keys: [String: AgentKey]
    private let jwt: JWTSettings?
    private let jwtKeys: JWTKeyCollection?
    public let requiresCredentials: Bool

    public init(agents: [AgentKey], jwt: JWTSettings?) async throws {
        var byHash: [String: AgentKey] = [:]
        for agent in agents { byHash[agent.keySHA256] = agent }
        self.keys = byHash
        self.jwt = jwt
        self.requiresCredentials = !agents.isEmpty || jwt != nil
        guard let jwt else {
            self.jwtKeys = nil
            return
        }
        let collection = JWTKeyCollection()
        switch jwt.key {
        case .hmacSHA256(let secret):
            await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        case .publicKeyPEM(let pem):
            if let key = try? ES256PublicKey(pem: pem) {
                await collection.add(ecdsa: key)
            } else {
                await collection.add(rsa: try Insecure.RSA.PublicKey(pem: pem), digestAlgorithm: .sha256)
            }
        }
        self.jwtKeys = collection
    }

    /// Lowercase hex SHA-256 of an API key, as `key_sha256` stores it.
    public static func hash(key: String) -> String {
        SHA256.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random API key, prefixed so it is recognisable in a leak scan.
    public static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        // 32 random bytes spread over 62 symbols: 43 symbols carry the 256 bits, give or take the modulo bias we avoid.
        var text = "wdn_"
        var pool = bytes
        while text.count < 4 + 43 {
            if pool.isEmpty { pool = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) } }
            let byte = pool.removeLast()
            if byte < 248 { text.append(alphabet[Int(byte) % 62]) }
        }
        return text
    }

    /// The agent behind `authorization` (the header's value) or `apiKey` (`X-API-Key`), or why there is none.
    public func authenticate(authorization: String?, apiKey: String?) async -> Result<AgentIdentity, AuthenticationFailure> {
        guard requiresCredentials else { return .success(.anonymous) }
        var credential = apiKey
        if let authorization {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                return .failure(AuthenticationFailure(reason: "the Authorization header must be `Bearer <key or token>`"))
            }
            credential = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        guard let credential, !credential.isEmpty else {
            return .failure(AuthenticationFailure(reason: "this gateway needs an agent credential: an API key or a JWT as a bearer token"))
        }
        if let agent = keys[Self.hash(key: credential)] {
            return .success(AgentIdentity(id: agent.id, groups: agent.groups))
        }
        guard let jwt, let jwtKeys, credential.split(separator: ".").count == 3 else {
            return .failure(AuthenticationFailure(reason: "the credential is not a known API key"))
        }
        do {
            let claims = try await jwtKeys.verify(credential, as: DynamicClaims.self)
            return claims.identity(settings: jwt)
        } catch {
            return .failure(AuthenticationFailure(reason: "the bearer token was not accepted: \(Self.describe(error))"))
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let jwtError = error as? JWTError {
            switch jwtError.errorType {
            case .signatureVerificationFailed: return "bad signature"
            case .claimVerificationFailure: return jwtError.reason ?? "a claim did not verify"
            case .malformedToken: return "malformed token"
            default: return jwtError.reason ?? "\(jwtError.errorType)"
            }
        }
        return "\(error)"
    }
}

/// A JWT payload with whatever claims it has; the registered ones are checked after the signature.
struct DynamicClaims: JWTPayload {
    var claims: [String: ClaimValue]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var claims: [String: ClaimValue] = [:]
        for key in container.allKeys {
            claims[key.stringValue] = try container.decode(ClaimValue.self, forKey: key)
        }
        self.claims = claims
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in claims { try container.encode(value, forKey: Key(stringValue: key)) }
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    func identity(settings: JWTSettings, now: Date = Date()) -> Result<AgentIdentity, AuthenticationFailure> {
        let leeway = Double(settings.leeway.components.seconds)
        guard case .number(let expiry)? = claims["exp"] else {
            return .failure(AuthenticationFailure(reason: "the bearer token has no `exp` claim"))
        }
        if now.timeIntervalSince1970 > expiry + leeway {
            return .failure(AuthenticationFailure(reason: "the bearer token expired"))
        }
        if case .number(let notBefore)? = claims["nbf"], now.timeIntervalSince1970 + leeway < notBefore {
            return .failure(AuthenticationFailure(reason: "the bearer token is not valid yet"))
        }
        if let issuer = settings.issuer, claims["iss"]?.strings != [issuer] {
            return .failure(AuthenticationFailure(reason: "the bearer token's issuer is not \(issuer)"))
        }
        if let audience = settings.audience, !(claims["aud"]?.strings ?? []).contains(audience) {
            return .failure(AuthenticationFailure(reason: "the bearer token is not meant for audience \(audience)"))
        }
        guard let agent = claims[settings.agentClaim]?.strings.first, !agent.isEmpty else {
            return .failure(AuthenticationFailure(reason: "the bearer token has no `\(settings.agentClaim)` claim naming the agent"))
        }
        let groups = claims[settings.groupsClaim]?.strings.flatMap { $0.split(separator: " ").map(String.init) } ?? []
        return .success(AgentIdentity(id: agent, groups: groups))
    }
}

enum ClaimValue: Codable, Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([ClaimValue])
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode([ClaimValue].self) {
            self = .list(value)
        } else {
            self = .other
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .other: try container.encodeNil()
        }
    }

    /// The claim as text values: a string is one, a list gives its strings.
    var strings: [String] {
        switch self {
        case .string(let value): return [value]
        case .list(let values): return values.flatMap(\.strings)
        default: return []
        }
    }
}
