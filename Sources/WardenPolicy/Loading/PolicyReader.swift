import WardenJSON
import Yams

/// Walks a composed YAML document and builds a `Policy`, collecting every error instead of stopping at the first.
///
/// Each reading function returns nil for a value it could not use and records why, so the rest of the file is
/// still checked and a person sees all the problems in one pass.
struct PolicyReader {
    /// A key and its value in a YAML map, with the nodes for positions.
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    let fileName: String
    private(set) var errors: [PolicyError] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    // MARK: - Errors

    func position(of node: Node) -> SourcePosition {
        let mark = node.mark
        return SourcePosition(fileName: fileName, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func fail(_ code: PolicyError.Code, at node: Node, _ message: String) {
        errors.append(PolicyError(code: code, position: position(of: node), message: message))
    }

    mutating func fail(_ code: PolicyError.Code, at position: SourcePosition, _ message: String) {
        errors.append(PolicyError(code: code, position: position, message: message))
    }

    // MARK: - Maps

    /// The entries of a map, or nil (with an error) when `node` is not one; `what` names it in messages.
    mutating func entries(of node: Node, _ what: String) -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            fail(.wrongType, at: node, "\(what) must be a map of `key: value` lines, not \(Self.shape(of: node))")
            return nil
        }
        var entries: [Entry] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                fail(.wrongType, at: key, "a key in \(what) must be a plain name, not \(Self.shape(of: key))")
                continue
            }
            entries.append(Entry(key: scalar.string, keyNode: key, value: value))
        }
        return entries
    }

    /// Records an error for every key not in `allowed`, suggesting the closest known key.
    mutating func checkKeys(_ entries: [Entry], allowed: [String], in what: String, aliases: [String: String] = [:]) {
        for entry in entries where !allowed.contains(entry.key) {
            var message = "unknown key `\(entry.key)` in \(what)"
            if let suggestion = Suggestion.closest(to: entry.key, among: allowed, aliases: aliases) {
                message += "; did you mean `\(suggestion)`?"
            } else {
                message += "; the keys are \(allowed.map { "`\($0)`" }.joined(separator: ", "))"
            }
            fail(.unknownKey, at: entry.keyNode, message)
        }
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

    /// A duration: a bare number of seconds, or a number with a unit (`500ms`, `30s`, `5m`, `1h`, `1d`); must be > 0.
    mutating func duration(_ node: Node, _ key: String) -> Duration? {
        let advice = "write seconds (60) or 30s, 5m, 1h, 1d"
        guard case .scalar(let scalar) = node else {
            fail(.wrongType, at: node, "`\(key)` must be a duration, not \(Self.shape(of: node)); \(advice)")
            return nil
        }
        guard let milliseconds = Self.milliseconds(in: scalar.string) else {
            fail(.badValue, at: node, "\(key) `\(scalar.string)` is not a duration; \(advice)")
            return nil
        }
        guard milliseconds > 0 else {
            fail(.badValue, at: node, "\(key) `\(scalar.string)` must be longer than zero; \(advice)")
            return nil
        }
        return .milliseconds(milliseconds)
    }

    static func milliseconds(in text: String) -> Int64? {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        var number = Substring(text)
        var scale = 1000.0
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            scale = unit.milliseconds
            break
        }
        guard !number.isEmpty, number.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." }),
            number.filter({ $0 == "." }).count <= 1, number.first != ".", number.last != ".", let value = Double(number)
        else { return nil }
        let milliseconds = (value * scale).rounded()
        guard milliseconds < 9.0e15 else { return nil }
        return Int64(milliseconds)
    }

    // MARK: - Describing nodes

    /// "a list", "a map", "the number 5", for messages about wrong shapes.
    static func shape(of node: Node) -> String {
        switch node {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch resolve(scalar) {
            case .null: return "empty"
            case .bool: return "`\(scalar.string)` (a boolean)"
            case .number: return "`\(scalar.string)` (a number)"
            default: return "the text `\(scalar.string)`"
            }
        }
    }

    /// ", not …" for a message, when the value is worth echoing.
    private static func found(_ node: Node) -> String {
        if case .scalar(let scalar) = node { return "; it is `\(scalar.string)`" }
        return ", not \(shape(of: node))"
    }
}
