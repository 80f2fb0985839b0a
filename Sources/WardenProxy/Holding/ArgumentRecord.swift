import Crypto
public import WardenJSON
public import WardenPolicy

/// How a call's arguments are written down: always as a digest, in full only when the policy says so.
public enum ArgumentRecord {
    /// The arguments with object keys sorted, no white space, numbers as written: equal arguments, equal bytes.
    public static func canonicalJSON(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, into: &output)
        return output
    }

    /// Lowercase hex SHA-256 of the canonical arguments.
    public static func digest(_ arguments: JSONValue) -> String {
        let hash = SHA256.hash(data: canonicalJSON(arguments))
        return hash.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
        }.joined()
    }

    /// The arguments as text when the policy's `audit.args` is `full` or `redact` (listed paths replaced and
    /// credential-like strings scrubbed), else nil.
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

    /// Every string in the value, run through the secret scrubber.
    private static func scrubbed(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(SecretScrubber.scrub(text))
        case .array(let array): .array(array.map(scrubbed))
        case .object(let object): .object(JSONObject(object.members.map { (key: $0.key, value: scrubbed($0.value)) }))
        default: value
        }
    }

    private static func redact(_ value: inout JSONValue, steps: ArraySlice<ValuePath.Step>) {
        guard let step = steps.first else {
            value = "[redacted]"
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
            let members = object.members.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            for (offset, member) in members.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.encode(string: member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (offset, element) in array.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        default:
            value.encode(into: &output)
        }
    }
}
