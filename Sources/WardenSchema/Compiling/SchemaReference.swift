import WardenJSON

/// Resolves a `$ref` to a place in the same document, and refuses every other kind with a reason.
///
/// Warden fetches no schemas: a tool's schema is judged as the server sent it, so a reference to another document
/// is a compile error rather than a network request the server could steer.
enum SchemaReference {
    /// The JSON pointer tokens `reference` points to.
    static func resolve(_ reference: String, in root: JSONValue, rootIdentifier: String?, from location: String) throws(SchemaError)
        -> [String]
    {
        let base = String(reference.prefix { $0 != "#" })
        let fragment = reference.contains("#") ? String(reference.drop { $0 != "#" }.dropFirst()) : ""
        if !base.isEmpty && base != rootIdentifier {
            if base.contains(":") {
                throw SchemaError(
                    code: .remoteReference,
                    location: location,
                    message: "the $ref `\(reference)` points to another document; Warden fetches no remote schemas"
                )
            }
            throw SchemaError(
                code: .unsupportedReference,
                location: location,
                message: "the $ref `\(reference)` is relative to a document Warden does not have"
            )
        }
        guard let decoded = percentDecoded(fragment) else {
            throw SchemaError(code: .missingReference, location: location, message: "the $ref `\(reference)` has a malformed %-escape")
        }
        if decoded.isEmpty { return [] }
        if decoded.hasPrefix("/") {
            return decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
                String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            }
        }
        if let pointer = anchor(named: decoded, in: root, at: []) { return pointer }
        throw SchemaError(code: .missingReference, location: location, message: "the $ref `\(reference)` names no anchor in this schema")
    }

    /// The value at `pointer`, or nil when a token names nothing.
    static func value(at pointer: [String], in root: JSONValue) -> JSONValue? {
        var current = root
        for token in pointer {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), String(index) == token, elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Where a subschema declares `"$anchor": name` (or draft-07's `"$id": "#name"`).
    private static func anchor(named name: String, in value: JSONValue, at pointer: [String]) -> [String]? {
        switch value {
        case .object(let object):
            if let anchor = object["$anchor"]?.stringValue, anchor == name { return pointer }
            if let identifier = object["$id"]?.stringValue, identifier == "#" + name { return pointer }
            for member in object.members where member.key != "enum" && member.key != "const" {
                if let found = anchor(named: name, in: member.value, at: pointer + [member.key]) { return found }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = anchor(named: name, in: element, at: pointer + [String(index)]) { return found }
            }
        default:
            break
        }
        return nil
    }

    /// The URI fragment with `%XX` escapes decoded as UTF-8, or nil when an escape is malformed.
    private static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
