import WardenPolicy
import Yams

/// Walks a composed gateway config and builds a `GatewayConfig`, recording every problem with its code and position.
///
/// The positions, maps, unknown-key suggestions and durations come from WardenPolicy's `YAMLReading`, the layer the
/// policy loader uses too, so a policy written inline in the config reports its errors the same way.
struct GatewayConfigReader: YAMLReading {
    let fileName: String
    let baseDirectory: String
    let environment: [String: String]
    var errors: [PolicyError] = []

    init(fileName: String, baseDirectory: String, environment: [String: String]) {
        self.fileName = fileName
        self.baseDirectory = baseDirectory
        self.environment = environment
    }

    // MARK: Shapes

    /// The entries of a map whose keys are in `allowed` (any key when it is empty); an unknown key is reported with
    /// the closest known one and left out.
    mutating func map(_ node: Node, _ what: String, allowed: [String]) -> [YAMLEntry]? {
        guard let entries = entries(of: node, what) else { return nil }
        guard !allowed.isEmpty else { return entries }
        checkKeys(entries, allowed: allowed, in: what)
        return entries.filter { allowed.contains($0.key) }
    }

    /// Text from a scalar, with `${NAME}` expanded from the environment when `substitute` is set.
    mutating func text(_ node: Node, _ key: String, substitute: Bool = false) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(.wrongType, at: node, "`\(key)` must be text, not \(Self.shape(of: node))")
            return nil
        }
        guard substitute else { return scalar.string }
        return expand(scalar.string, at: node)
    }

    /// `${NAME}` replaced with the environment's value; an unset name is an error, never an empty secret.
    mutating func expand(_ text: String, at node: Node) -> String? {
        do {
            return try EnvironmentText.expand(text, environment: environment)
        } catch {
            fail(.unsetVariable, at: node, error.description)
            return nil
        }
    }

    mutating func texts(_ node: Node, _ key: String) -> [String]? {
        switch node {
        case .scalar:
            return text(node, key).map { [$0] }
        case .sequence(let sequence):
            var values: [String] = []
            for item in sequence {
                guard let value = text(item, key) else { return nil }
                values.append(value)
            }
            return values
        default:
            fail(.wrongType, at: node, "`\(key)` must be text or a list of text")
            return nil
        }
    }

    mutating func stringMap(_ node: Node, _ key: String) -> [(String, String)]? {
        guard let entries = map(node, "`\(key)`", allowed: []) else { return nil }
        var values: [(String, String)] = []
        for entry in entries {
            guard let value = text(entry.value, "\(key).\(entry.key)", substitute: true) else { continue }
            values.append((entry.key, value))
        }
        return values
    }

    /// A positive whole number, such as a cap.
    mutating func count(_ node: Node, _ key: String) -> Int? {
        guard let value = text(node, key) else { return nil }
        guard let count = Int(value), count >= 1 else {
            fail(.badValue, at: node, "`\(key)` must be a whole number, at least 1")
            return nil
        }
        return count
    }

    mutating func bool(_ node: Node, _ key: String) -> Bool? {
        guard let value = text(node, key) else { return nil }
        switch value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(.badValue, at: node, "`\(key)` must be true or false")
            return nil
        }
    }

    mutating func sha256(_ node: Node, _ key: String) -> String? {
        guard let value = text(node, key)?.lowercased() else { return nil }
        guard value.count == 64, value.allSatisfy({ $0.isHexDigit }) else {
            fail(.badValue, at: node, "`\(key)` must be 64 hex digits (`warden keys new` prints one)")
            return nil
        }
        return value
    }
}
