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
    /// `full` mode, and in `redact` mode the canonical JSON with the listed paths replaced by `"[redacted]"` and every
    /// string run through ``SecretScrubber``.
    public static func render(_ arguments: JSONValue, settings: AuditSettings) -> String? {
        switch settings.arguments {
        case .full:
            return String(decoding: canonicalJSON(arguments), as: UTF8.self)
        case .redact:
            var redacted = arguments
            for path in settings.redact where path.root == .args { redact(&redacted, steps: path.steps[...]) }
            return String(decoding: canonicalJSON(scrubbed(redacted)), as: UTF8.self)
        default:
            return nil
        }
    }

    /// What a redacted value is replaced with.
    public static let redactedMarker = "[redacted]"

    /// Every string value, run through the secret scrubber.
    private static func scrubbed(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(SecretScrubber.scrub(text))
        case .array(let array): .array(array.map(scrubbed))
        case .object(let object): .object(JSONObject(object.members.map { (key: $0.key, value: scrubbed($0.value)) }))
        default: value
        }
    }

    /// Replaces the value at `steps`, if there is one; a path that does not reach a value changes nothing.
    private static func redact(_ value: inout JSONValue, steps: ArraySlice<ValuePath.Step>) {
        guard let step = steps.first else {
            value = .string(redactedMarker)
            return
        }
        switch (step, value) {
        case (.key(let key), .object(var object)):
            guard var member = object[key] else { return }
            redact(&member, steps: steps.dropFirst())
            object[key] = member
            value = .object(object)
        case (.index(let index), .array(var array)) where index < array.count:
            redact(&array[index], steps: steps.dropFirst())
            value = .array(array)
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
