import Foundation
import WardenPolicy
import Yams

extension GatewayConfigReader {
    mutating func agents(_ node: Node) -> [AgentKey] {
        guard case .sequence(let sequence) = node else {
            fail(.wrongType, at: node, "`agents` must be a list of `- id: …` entries")
            return []
        }
        var agents: [AgentKey] = []
        for item in sequence {
            guard let entries = map(item, "an agent", allowed: ["id", "key_sha256", "groups"]) else { continue }
            var id: String?
            var hash: String?
            var groups: [String] = []
            for entry in entries {
                switch entry.key {
                case "id": id = text(entry.value, "id")
                case "key_sha256": hash = sha256(entry.value, "key_sha256")
                case "groups": groups = texts(entry.value, "groups") ?? []
                default: break
                }
            }
            guard let id, !id.isEmpty else {
                fail(.missingKey, at: item, "an agent needs an `id`")
                continue
            }
            guard let hash else {
                fail(.missingKey, at: item, "agent `\(id)` needs `key_sha256` (`warden keys new` prints a key and its hash)")
                continue
            }
            if agents.contains(where: { $0.keySHA256 == hash }) { fail(.duplicateName, at: item, "agent `\(id)` has the same key as another agent") }
            agents.append(AgentKey(id: id, keySHA256: hash, groups: groups))
        }
        return agents
    }

    mutating func jwt(_ node: Node) -> JWTSettings? {
        let keys = ["secret", "public_key", "public_key_file", "issuer", "audience", "agent_claim", "groups_claim", "leeway"]
        guard let entries = map(node, "`jwt`", allowed: keys) else { return nil }
        var key: JWTSettings.Key?
        var settings = JWTSettings(key: .hmacSHA256(secret: ""))
        for entry in entries {
            switch entry.key {
            case "secret":
                guard let secret = text(entry.value, "jwt.secret", substitute: true) else { continue }
                if secret.utf8.count < 32 { fail(.badValue, at: entry.value, "`jwt.secret` must be at least 32 bytes") }
                key = .hmacSHA256(secret: secret)
            case "public_key":
                if let pem = text(entry.value, "jwt.public_key", substitute: true) { key = .publicKeyPEM(pem) }
            case "public_key_file":
                guard let path = text(entry.value, "jwt.public_key_file") else { continue }
                let full = path.hasPrefix("/") ? path : baseDirectory + "/" + path
                if let pem = try? String(contentsOfFile: full, encoding: .utf8) { key = .publicKeyPEM(pem) } else { fail(.unreadableFile, at: entry.value, "cannot read \(full)") }
            case "issuer": settings.issuer = text(entry.value, "jwt.issuer")
            case "audience": settings.audience = text(entry.value, "jwt.audience")
            case "agent_claim": settings.agentClaim = text(entry.value, "jwt.agent_claim") ?? "sub"
            case "groups_claim": settings.groupsClaim = text(entry.value, "jwt.groups_claim") ?? "groups"
            case "leeway": if let value = duration(entry.value, "jwt.leeway") { settings.leeway = value }
            default: break
            }
        }
        guard let key else {
            fail(.missingKey, at: node, "`jwt` needs `secret` (HS256), `public_key` or `public_key_file` (RS256 or ES256)")
            return nil
        }
        settings.key = key
        return settings
    }
}
