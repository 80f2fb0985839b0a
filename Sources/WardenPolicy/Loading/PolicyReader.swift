import WardenJSON
import Yams

/// Walks a composed YAML document and builds a `Policy`, collecting every error instead of stopping at the first.
///
/// Each reading function returns nil for a value it could not use and records why, so the rest of the file is
/// still checked and a person sees all the problems in one pass.
struct PolicyReader: YAMLReading {
    typealias Entry = YAMLEntry

    let fileName: String
    var errors: [PolicyError] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    // MARK: - Scalars

    /// Text from a scalar; `null` or a list or map is an error.
    mutating func text(_ node: Node, _ key: String) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(.wrongType, at: node, "`\(key)` must be text, not \(Self.shape(of: node))")
            return nil
        }
        if scalar.style == .plain, case .null = Self.resolve(scalar) {
            fail(.wrongType, at: node, "`\(key)` must be text, but it is empty")
            return nil
        }
        return scalar.string
    }

    /// One name or a list of names, such as `tool: a` or `tool: [a, "b_*"]`.
    mutating func names(_ node: Node, _ key: String) -> [String]? {
        namedNodes(node, key)?.map(\.name)
    }

    /// Like `names`, with the node of each name for errors about one of them.
    mutating func namedNodes(_ node: Node, _ key: String) -> [(name: String, node: Node)]? {
        switch node {
        case .scalar:
            return text(node, key).map { [($0, node)] }
        case .sequence(let sequence):
            var names: [(name: String, node: Node)] = []
            for element in sequence {
                if let name = text(element, key) { names.append((name, element)) }
            }
            if sequence.isEmpty {
                fail(.badValue, at: node, "`\(key)` is an empty list, which matches nothing; list at least one name or leave `\(key)` out")
                return nil
            }
            return names.count == sequence.count ? names : nil
        default:
            fail(.wrongType, at: node, "`\(key)` must be a name or a list of names, not \(Self.shape(of: node))")
            return nil
        }
    }

    /// A whole number greater than zero.
    mutating func positiveInteger(_ node: Node, _ key: String) -> Int? {
        guard case .scalar(let scalar) = node, case .number(let number) = Self.resolve(scalar), let value = number.intValue, value > 0
        else {
            fail(.badValue, at: node, "`\(key)` must be a whole number > 0\(Self.found(node))")
            return nil
        }
        return value
    }

    /// A number greater than zero.
    mutating func positiveNumber(_ node: Node, _ key: String) -> Double? {
        guard case .scalar(let scalar) = node, case .number(let number) = Self.resolve(scalar), number.value > 0, number.value.isFinite
        else {
            fail(.badValue, at: node, "`\(key)` must be a number > 0\(Self.found(node))")
            return nil
        }
        return number.value
    }

    /// One of a fixed set of words, suggesting the closest when it is not.
    mutating func word<Value>(
        _ node: Node,
        _ key: String,
        options: [String],
        aliases: [String: String] = [:],
        _ make: (String) -> Value?
    ) -> Value? {
        guard let text = text(node, key) else { return nil }
        if let value = make(text) { return value }
        var message = "`\(key)` is `\(text)`; "
        if let suggestion = Suggestion.closest(to: text, among: options, aliases: aliases) {
            message += "did you mean `\(suggestion)`?"
        } else {
            message += "write one of \(options.map { "`\($0)`" }.joined(separator: ", "))"
        }
        fail(.badValue, at: node, message)
        return nil
    }

    // MARK: - Describing nodes

    /// ", not …" for a message, when the value is worth echoing.
    private static func found(_ node: Node) -> String {
        if case .scalar(let scalar) = node { return "; it is `\(scalar.string)`" }
        return ", not \(shape(of: node))"
    }
}
