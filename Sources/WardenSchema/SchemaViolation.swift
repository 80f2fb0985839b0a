/// One way a tool call's arguments break the tool's `inputSchema`.
///
/// The message names the keyword in plain words and never repeats the argument's value, since argument values are
/// redacted from every description Warden prints.
public struct SchemaViolation: Hashable, Sendable {
    /// One step into the instance: a member name or an array index.
    public enum PathComponent: Hashable, Sendable {
        case property(String)
        case index(Int)
    }

    /// Where in the arguments, from the argument name inward.
    public var location: [PathComponent]
    /// The schema keyword broken (`type`, `required`, `pattern`, …).
    public var keyword: String
    /// What is wrong, in plain words: "expected number, got string".
    public var message: String

    public init(location: [PathComponent], keyword: String, message: String) {
        self.location = location
        self.keyword = keyword
        self.message = message
    }

    /// The instance path as strings: property names and array indexes.
    public var path: [String] {
        location.map { component in
            switch component {
            case .property(let name): name
            case .index(let index): String(index)
            }
        }
    }

    /// The path as a person reads it: `items[2].name`, or `arguments` for the arguments object itself.
    public var pathDescription: String {
        guard !location.isEmpty else { return "arguments" }
        var text = ""
        for component in location {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .property(let name) where Self.isPlainName(name):
                text += text.isEmpty ? name : "." + name
            case .property(let name):
                text += "[\(Self.quoted(name))]"
            }
        }
        return text
    }

    /// Names that read unambiguously after a dot; anything else is quoted, so a key cannot forge a path or a line.
    private static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
                || scalar == "-"
        }
    }

    private static func quoted(_ name: String) -> String {
        var text = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value):
                text += "\\u{\(String(scalar.value, radix: 16))}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}

extension SchemaViolation: CustomStringConvertible {
    /// `argument amount: expected number, got string`.
    public var description: String {
        location.isEmpty ? "arguments: \(message)" : "argument \(pathDescription): \(message)"
    }
}
