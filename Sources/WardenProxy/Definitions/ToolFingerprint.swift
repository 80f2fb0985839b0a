import Crypto
public import WardenJSON

/// The pin of a tool definition: SHA-256 of its canonical JSON, so a server that rewords a description or loosens a
/// schema after review is caught, while one that only reorders keys or respaces its JSON is not.
///
/// Only what the model reads and what shapes a call is pinned (`name`, `title`, `description`, `inputSchema`,
/// `outputSchema`, `annotations`); `_meta` and other members may change freely.
public enum ToolFingerprint {
    /// The members of a tool that are pinned.
    public static let pinnedMembers = ["name", "title", "description", "inputSchema", "outputSchema", "annotations"]

    /// The lowercase hex SHA-256 of `tool`'s canonical definition, and that canonical text.
    public static func of(_ tool: JSONValue) -> (fingerprint: String, canonical: String) {
        var pinned = JSONObject()
        for name in pinnedMembers {
            if let value = tool.objectValue?[name] { pinned[name] = value }
        }
        var bytes: [UInt8] = []
        write(.object(pinned), into: &bytes)
        let digest = SHA256.hash(data: bytes)
        let hex = digest.map { byte in String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16) }.joined()
        return (hex, String(decoding: bytes, as: UTF8.self))
    }

    /// Writes `value` canonically: object keys sorted by Unicode scalars, no whitespace, numbers by value, and
    /// strings with the one escaping WardenJSON's encoder uses.
    static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .number(let number):
            output.append(contentsOf: canonical(number.literal).utf8)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            // UTF-8 byte order is Unicode scalar order.
            let members = object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.encode(string: member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        default:
            value.encode(into: &output)
        }
    }

    /// One spelling per value: `1`, `1.0`, `10e-1` and `0.1e1` are all `1`; `1.50` is `1.5`; `-0` is `0`; very large
    /// or small values are `<digits>e<exponent>` with no trailing zeros in the digits.
    static func canonical(_ literal: String) -> String {
        var text = Substring(literal)
        let isNegative = text.first == "-"
        if isNegative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(text[text.index(after: e)...].drop { $0 == "+" }), abs(value) < 1_000_000 else { return literal }
            exponent = value
            text = text[..<e]
        }
        var digits = String(text)
        if let point = digits.firstIndex(of: ".") {
            exponent -= digits.distance(from: point, to: digits.endIndex) - 1
            digits.remove(at: point)
        }
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return literal }
        digits = String(digits.drop { $0 == "0" })
        while digits.last == "0" {
            digits.removeLast()
            exponent += 1
        }
        guard !digits.isEmpty else { return "0" }
        let sign = isNegative ? "-" : ""
        if exponent >= 0, digits.count + exponent <= 21 { return sign + digits + String(repeating: "0", count: exponent) }
        if exponent < 0, -exponent <= 21 {
            let places = -exponent
            let padded = digits.count > places ? digits : String(repeating: "0", count: places - digits.count + 1) + digits
            let split = padded.index(padded.endIndex, offsetBy: -places)
            return sign + padded[..<split] + "." + padded[split...]
        }
        return sign + digits + "e" + String(exponent)
    }
}
