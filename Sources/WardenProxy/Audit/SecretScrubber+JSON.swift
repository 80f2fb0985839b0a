public import WardenJSON

extension SecretScrubber {
    /// How many strings-holding-JSON deep the scrubber looks: `"{\"a\": \"{\\\"password\\\": …}\"}"` is two.
    static let maximumEmbedding = 4

    /// The value with every member named like a credential (`password`, `API_KEY`, `x-api-key`, `clientSecret`, at any
    /// depth) replaced by `[redacted]`, every string scrubbed, and a string that holds JSON scrubbed as that JSON.
    public static func scrub(_ value: JSONValue) -> JSONValue {
        scrub(value, embedding: 0)
    }

    static func scrub(_ value: JSONValue, embedding: Int) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(scrubString(text, embedding: embedding))
        case .array(let array):
            return .array(array.map { scrub($0, embedding: embedding) })
        case .object(let object):
            let members = object.members.map { member -> JSONObject.Member in
                let key = scrub(member.key)
                // A credential's name hides its value whatever its type: a number, a list of keys, a nested object.
                guard !isCredentialName(member.key) || member.value.isNull else { return (key: key, value: .string(redacted)) }
                return (key: key, value: scrub(member.value, embedding: embedding))
            }
            return .object(JSONObject(members))
        default:
            return value
        }
    }

    /// A string scrubbed as text, or, when it holds a JSON object or array, as that JSON (re-encoded only if
    /// something in it was hidden): `"{\"password\": \"hunter2\"}"` becomes `"{\"password\":\"[redacted]\"}"`.
    static func scrubString(_ text: String, embedding: Int) -> String {
        if embedding < maximumEmbedding, let embedded = embeddedJSON(text) {
            let scrubbed = scrub(embedded, embedding: embedding + 1)
            return scrubbed == embedded ? text : String(decoding: AuditArguments.canonicalJSON(scrubbed), as: UTF8.self)
        }
        return scrub(text)
    }

    /// The object or array a string holds, as a lenient server would parse it; nil for any other text.
    static func embeddedJSON(_ text: String) -> JSONValue? {
        // Only text that starts like an object or array is parsed, so ordinary strings cost one byte's look.
        // JSON's white space: space, tab, line feed, carriage return.
        guard let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return nil }
        return try? JSONParser.parse(text, maxDepth: 64)
    }
}
