import Crypto
public import WardenJSON
public import WardenPolicy

/// How a call's arguments are written down in the audit trail: always as a digest, as text only when the policy says.
public enum AuditArguments {
    /// The arguments with object keys sorted by their UTF-8 bytes, no white space, and numbers as written: equal
    /// arguments give equal bytes, whatever order the client sent the keys in, so their digests can be compared.
    public static func canonicalJSON(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, into: &output)
        return output
    }

    /// Lowercase hex SHA-256 of ``canonicalJSON(_:)``.
    public static func digest(_ arguments: JSONValue) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: canonicalJSON(arguments)) {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The arguments as the policy's `audit` block allows: nil in `hash` mode (the default), the canonical JSON in
    /// `full` mode, and in `redact` mode ``scrubbedText(_:settings:)``.
    public static func render(_ arguments: JSONValue, settings: AuditSettings) -> String? {
        switch settings.arguments {
        case .full:
            return String(decoding: canonicalJSON(arguments), as: UTF8.self)
        case .redact:
            return scrubbedText(arguments, settings: settings)
        default:
            return nil
        }
    }

    /// The canonical JSON with the `redact` paths replaced by `"[redacted]"` and everything ``SecretScrubber`` finds
    /// hidden, whatever the audit mode: what `redact` mode records, and what a person deciding a held call is shown.
    public static func scrubbedText(_ arguments: JSONValue, settings: AuditSettings) -> String {
        var redacted = arguments
        for path in settings.redact { redact(&redacted, steps: path.steps[...]) }
        return String(decoding: canonicalJSON(SecretScrubber.scrub(redacted)), as: UTF8.self)
    }

    /// What a redacted value is replaced with.
    public static let redactedMarker = "[redacted]"

    /// Replaces every value at `steps`: keys match whatever their case, `[*]` takes every element, and a string
    /// holding JSON is entered as the JSON it holds. A path that does not reach a value changes nothing.
    private static func redact(_ value: inout JSONValue, steps: ArraySlice<AuditSettings.RedactPath.Step>) {
        guard let step = steps.first else {
            value = .string(redactedMarker)
            return
        }
        switch (step, value) {
        case (.key(let key), .object(let object)):
            let wanted = key.lowercased()
            var members = object.members
            for index in members.indices where members[index].key.lowercased() == wanted {
                redact(&members[index].value, steps: steps.dropFirst())
            }
            value = .object(JSONObject(members))
        case (.index(let index), .array(var array)) where index < array.count:
            redact(&array[index], steps: steps.dropFirst())
            value = .array(array)
        case (.anyIndex, .array(var array)):
            for index in array.indices { redact(&array[index], steps: steps.dropFirst()) }
            value = .array(array)
        case (_, .string(let text)):
            // `"opts": "{\"token\": …}"`: lenient servers parse the string, so the path goes on inside it.
            guard var embedded = SecretScrubber.embeddedJSON(text) else { return }
            let before = embedded
            redact(&embedded, steps: steps)
            if embedded != before { value = .string(String(decoding: canonicalJSON(embedded), as: UTF8.self)) }
        default:
            return
        }
    }

    private static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            // Sorted by bytes (not by `String`'s Unicode ordering), ties kept in arrival order: the same on every platform.
            let members = object.members.enumerated().map { (key: Array($0.element.key.utf8), offset: $0.offset, member: $0.element) }
                .sorted { $0.key != $1.key ? $0.key.lexicographicallyPrecedes($1.key) : $0.offset < $1.offset }
            for (position, entry) in members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.encode(string: entry.member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(entry.member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (position, element) in array.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        default:
            value.encode(into: &output)
        }
    }
}
