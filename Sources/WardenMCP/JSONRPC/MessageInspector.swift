public import NIOCore
import WardenJSON

/// Classifies a JSON-RPC message and finds its parts, validating every byte but building only the id.
///
/// The proxy inspects every message in both directions and forwards almost all of them untouched, so this reads
/// the top-level members in one pass of `JSONScanner` and decodes nothing but `jsonrpc`, `method` and `id`.
///
/// Rules (JSON-RPC 2.0 as MCP uses it): the top level is an object (an array is a batch, which MCP no longer has);
/// `jsonrpc` is `"2.0"`; `method` is a string; `params`, when present, is an object or array (`null` is read as
/// absent); a request has `method` and `id`, a notification `method` alone, a response `id` and `result`, an error
/// response an object `error` and an id that may be `null` or missing. Members other than these are allowed and
/// ignored.
///
/// Stricter than JSON-RPC where mainstream readers would disagree about the message, so that what Warden judges is
/// what every peer reads:
/// - no top-level key may occur twice (keys compared as Unicode scalars after unescaping, so `"id"` and `"\u0069d"`
///   are the same key): readers differ on which occurrence counts (RFC 7493, I-JSON);
/// - an id is a string or an integer written as a plain integer literal (no fraction or exponent: the Python SDK
///   reads `1.0` as no id at all) of magnitude at most 2^53 - 1 (JavaScript readers round larger ones);
/// - the `id` and `method` strings hold no `\u` escape of a lone surrogate, which readers decode differently.
public enum MessageInspector {
    /// How deeply a message may nest. The scanner loops rather than recursing, so this guards against abuse, not
    /// against the stack; it is higher than `JSONParser`'s default because tool results may be deep and are only
    /// forwarded.
    public static let maxDepth = 512

    /// Inspects the message in `buffer`'s readable bytes; ranges are relative to its reader index.
    public static func inspect(_ buffer: ByteBuffer) -> Result<MessageEnvelope, MessageProblem> {
        buffer.withUnsafeReadableBytes { inspect($0) }
    }

    /// Inspects one message.
    public static func inspect(_ bytes: UnsafeRawBufferPointer) -> Result<MessageEnvelope, MessageProblem> {
        var parts = Parts()
        var sieve = JSONScanner.KeySieve()
        let kind: JSONScanner.ValueKind
        let duplicateKey: String?
        do {
            kind = try JSONScanner.scan(bytes, maxDepth: maxDepth) { member in
                parts.record(member, in: bytes)
                sieve.add(member, in: bytes)
            }
            // Only when two keys might be equal: the sieve clears ordinary messages without allocating.
            duplicateKey = sieve.mayHaveDuplicate ? try JSONScanner.firstDuplicateKey(in: bytes, maxDepth: maxDepth) : nil
        } catch {
            return .failure(.parseError(error.description))
        }
        switch kind {
        case .object: return parts.classify(bytes, duplicateKey: duplicateKey)
        case .array: return .failure(.batch)
        default: return .failure(.invalidRequest("a JSON-RPC message must be a JSON object", id: nil))
        }
    }
}

/// The top-level members the inspector cares about, as the scanner reports them.
private struct Parts {
    var jsonrpc: JSONScanner.Member?
    var id: JSONScanner.Member?
    var method: JSONScanner.Member?
    var params: JSONScanner.Member?
    var result: JSONScanner.Member?
    var error: JSONScanner.Member?

    mutating func record(_ member: JSONScanner.Member, in bytes: UnsafeRawBufferPointer) {
        // Every key that matters is short ASCII; compare lengths first so most members cost one integer compare.
        let length = member.keyHasEscapes ? -1 : member.keyRange.count
        switch length {
        case 2 where member.hasKey("id", in: bytes): id = member
        case 5 where member.hasKey("error", in: bytes): error = member
        case 6 where member.hasKey("method", in: bytes): method = member
        case 6 where member.hasKey("params", in: bytes): params = member
        case 6 where member.hasKey("result", in: bytes): result = member
        case 7 where member.hasKey("jsonrpc", in: bytes): jsonrpc = member
        case -1: recordEscaped(member, key: member.key(in: bytes))
        default: break
        }
    }

    /// A key written with escapes (`"\u0069d"`) still names the member; peers decode it before comparing, by scalars
    /// (`"\u212Aey"`, with a Kelvin sign, is not `"Key"`).
    private mutating func recordEscaped(_ member: JSONScanner.Member, key: String) {
        if ScalarKey.equal(key, "id") {
            id = member
        } else if ScalarKey.equal(key, "error") {
            error = member
        } else if ScalarKey.equal(key, "method") {
            method = member
        } else if ScalarKey.equal(key, "params") {
            params = member
        } else if ScalarKey.equal(key, "result") {
            result = member
        } else if ScalarKey.equal(key, "jsonrpc") {
            jsonrpc = member
        }
    }

    func classify(_ bytes: UnsafeRawBufferPointer, duplicateKey: String?) -> Result<MessageEnvelope, MessageProblem> {
        // Read the id first, so every later complaint can be answered to the right request.
        var messageID: JSONRPCID?
        var idIsNull = false
        var idProblem: String?
        if let id {
            switch readID(id, in: bytes) {
            case .success(let value): messageID = value
            case .failure where id.valueKind == .null: idIsNull = true
            case .failure(let problem): idProblem = problem.message
            }
        }
        if let duplicateKey {
            // With two ids there is no telling which request to answer.
            let answerTo = ScalarKey.equal(duplicateKey, "id") ? nil : messageID
            return invalid(
                "duplicate key `\(Self.shown(duplicateKey))` at the top level of the message; readers disagree about which value counts",
                id: answerTo
            )
        }
        if let idProblem { return invalid(idProblem, id: nil) }
        guard let jsonrpc else { return invalid("the `jsonrpc` member is missing; it must be \"2.0\"", id: messageID) }
        guard jsonrpc.valueKind == .string, ScalarKey.equal(JSONScanner.decodeString(bytes, valueRange: jsonrpc.valueRange), "2.0") else {
            return invalid("`jsonrpc` must be \"2.0\"", id: messageID)
        }
        var paramsRange: Range<Int>?
        if let params {
            switch params.valueKind {
            case .object, .array: paramsRange = params.valueRange
            case .null: break
            default: return invalid("`params` must be an object or an array, not \(describe(params))", id: messageID)
            }
        }

        if let method {
            guard method.valueKind == .string else { return invalid("`method` must be a string, not \(describe(method))", id: messageID) }
            guard result == nil, error == nil else {
                return invalid("a message with `method` cannot also carry `result` or `error`", id: messageID)
            }
            if Self.hasLoneSurrogate(method, in: bytes) {
                return invalid("`method` holds a `\\u` escape of a lone surrogate, which readers decode differently", id: messageID)
            }
            let name = JSONScanner.decodeString(bytes, valueRange: method.valueRange)
            if idIsNull { return invalid("a request's `id` must be a string or an integer, not null", id: nil) }
            let kind: MessageEnvelope.Kind = id == nil ? .notification : .request
            return .success(MessageEnvelope(kind: kind, method: name, id: messageID, params: paramsRange))
        }
        if params != nil { return invalid("`params` belongs to a request or notification, which needs `method`", id: messageID) }
        switch (result, error) {
        case (.some, .some):
            return invalid("a response carries `result` or `error`, not both", id: messageID)
        case (.some(let result), .none):
            guard let messageID else { return invalid("a response's `id` must be a string or an integer", id: nil) }
            return .success(MessageEnvelope(kind: .response, id: messageID, result: result.valueRange))
        case (.none, .some(let error)):
            guard error.valueKind == .object else { return invalid("`error` must be an object, not \(describe(error))", id: messageID) }
            return .success(MessageEnvelope(kind: .errorResponse, id: messageID, error: error.valueRange))
        case (.none, .none):
            return invalid("a message needs `method` (a request or notification) or `result` or `error` (a response)", id: messageID)
        }
    }

    /// Why an id cannot be used, in words for the client.
    private struct IDProblem: Error {
        var message: String
    }

    /// The largest integer every mainstream reader holds exactly: JavaScript's `Number.MAX_SAFE_INTEGER`.
    private static let maxSafeInteger = "9007199254740991"

    private func readID(_ member: JSONScanner.Member, in bytes: UnsafeRawBufferPointer) -> Result<JSONRPCID, IDProblem> {
        let valueBytes = UnsafeRawBufferPointer(rebasing: bytes[member.valueRange])
        switch member.valueKind {
        case .string:
            if Self.hasLoneSurrogate(member, in: bytes) {
                return .failure(IDProblem(message: "`id` holds a `\\u` escape of a lone surrogate, which readers decode differently"))
            }
            let raw = String(decoding: valueBytes, as: UTF8.self)
            return .success(JSONRPCID(validRaw: raw, value: .string(JSONScanner.decodeString(bytes, valueRange: member.valueRange))))
        case .number:
            // The scanner proved it a JSON number, so only digits and `-` mean a plain integer.
            let digits = valueBytes.first == UInt8(ascii: "-") ? valueBytes.count - 1 : valueBytes.count
            let shown = valueBytes.count > 40 ? "a \(valueBytes.count)-character number" : "`\(String(decoding: valueBytes, as: UTF8.self))`"
            guard !valueBytes.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) else {
                return .failure(
                    IDProblem(
                        message: "`id` must be a string or an integer written without a fraction or exponent, such as 7, not \(shown);"
                            + " some readers take such a number for no id at all"
                    )
                )
            }
            let magnitude = valueBytes.suffix(digits)
            let limit = Self.maxSafeInteger.utf8
            guard digits < limit.count || (digits == limit.count && !limit.lexicographicallyPrecedes(magnitude)) else {
                return .failure(
                    IDProblem(
                        message: "`id` \(shown) is larger than 2^53 - 1 (\(Self.maxSafeInteger)), where JavaScript readers lose"
                            + " precision; use a smaller integer or a string"
                    )
                )
            }
            let raw = String(decoding: valueBytes, as: UTF8.self)
            return .success(JSONRPCID(validRaw: raw, value: .number(JSONNumber(literal: raw))))
        default:
            return .failure(IDProblem(message: "`id` must be a string or an integer, not \(describe(member))"))
        }
    }

    /// Whether a string member holds a `\u` escape of a lone surrogate; only strings with escapes are looked at twice.
    private static func hasLoneSurrogate(_ member: JSONScanner.Member, in bytes: UnsafeRawBufferPointer) -> Bool {
        let value = UnsafeRawBufferPointer(rebasing: bytes[member.valueRange])
        guard member.valueKind == .string, value.contains(UInt8(ascii: "\\")) else { return false }
        do {
            _ = try JSONParser.parse(value, maxDepth: 0, strict: true)
            return false
        } catch {
            return error.code == .loneSurrogate
        }
    }

    /// A key as a person can read it in an error: control characters escaped, long keys shortened.
    private static func shown(_ key: String) -> String {
        let scalars = key.unicodeScalars
        let short = scalars.count > 64 ? String(String.UnicodeScalarView(scalars.prefix(64))) + "…" : key
        let encoded = JSONValue.string(short).encodedString
        return String(encoded.dropFirst().dropLast())
    }

    private func invalid(_ message: String, id: JSONRPCID?) -> Result<MessageEnvelope, MessageProblem> {
        .failure(.invalidRequest(message, id: id))
    }

    private func describe(_ member: JSONScanner.Member) -> String {
        switch member.valueKind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
