import WardenJSON
public import Yams

/// The YAML reading layer shared by the policy loader and the gateway config loader.
///
/// A reader walks a composed document and records each problem as a coded, positioned `PolicyError` instead of
/// throwing, so the rest of the file is still checked and a person sees every mistake in one pass. The helpers here
/// are the ones both files need: positions, maps with known keys, durations, and naming a node's shape in messages.
public protocol YAMLReading {
    /// What error positions print as the file.
    var fileName: String { get }
    /// Every problem found so far, in the order found.
    var errors: [PolicyError] { get set }
}

extension YAMLReading {
    /// Where `node` starts, as `file:line:column`.
    public func position(of node: Node) -> SourcePosition {
        let mark = node.mark
        return SourcePosition(fileName: fileName, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Records a problem at `node`.
    public mutating func fail(_ code: PolicyError.Code, at node: Node, _ message: String) {
        errors.append(PolicyError(code: code, position: position(of: node), message: message))
    }

    /// Records a problem at `position`.
    public mutating func fail(_ code: PolicyError.Code, at position: SourcePosition, _ message: String) {
        errors.append(PolicyError(code: code, position: position, message: message))
    }

    /// The entries of a map, or nil (with an error) when `node` is not one; `what` names it in messages.
    public mutating func entries(of node: Node, _ what: String) -> [YAMLEntry]? {
        guard case .mapping(let mapping) = node else {
            fail(.wrongType, at: node, "\(what) must be a map of `key: value` lines, not \(Self.shape(of: node))")
            return nil
        }
        var entries: [YAMLEntry] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                fail(.wrongType, at: key, "a key in \(what) must be a plain name, not \(Self.shape(of: key))")
                continue
            }
            entries.append(YAMLEntry(key: scalar.string, keyNode: key, value: value))
        }
        return entries
    }

    /// Records an error for every key not in `allowed`, suggesting the closest known key.
    public mutating func checkKeys(_ entries: [YAMLEntry], allowed: [String], in what: String, aliases: [String: String] = [:]) {
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

    /// A duration longer than zero, as `DurationText` reads it: a bare number of seconds, or `500ms`, `30s`, `5m`,
    /// `1h`, `1d`.
    public mutating func duration(_ node: Node, _ key: String) -> Duration? {
        let advice = "write seconds (60) or 30s, 5m, 1h, 1d"
        guard case .scalar(let scalar) = node else {
            fail(.wrongType, at: node, "`\(key)` must be a duration, not \(Self.shape(of: node)); \(advice)")
            return nil
        }
        guard let milliseconds = DurationText.milliseconds(in: scalar.string) else {
            fail(.badValue, at: node, "\(key) `\(scalar.string)` is not a duration; \(advice)")
            return nil
        }
        guard milliseconds > 0 else {
            fail(.badValue, at: node, "\(key) `\(scalar.string)` must be longer than zero; \(advice)")
            return nil
        }
        return .milliseconds(milliseconds)
    }

    /// "a list", "a map", "the number 5", for messages about wrong shapes.
    public static func shape(of node: Node) -> String {
        switch node {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch PolicyReader.resolve(scalar) {
            case .null: return "empty"
            case .bool: return "`\(scalar.string)` (a boolean)"
            case .number: return "`\(scalar.string)` (a number)"
            default: return "the text `\(scalar.string)`"
            }
        }
    }
}
