public import NIOCore
import WardenJSON

/// Classifies a JSON-RPC message and finds its parts, validating every byte but building only the id.
///
/// The proxy inspects every message in both directions and forwards almost all of them untouched, so this reads
/// the top-level members in one pass of `JSONScanner` and decodes nothing but `jsonrpc`, `method` and `id`.
///
/// Rules (JSON-RPC 2.0 as MCP uses it): the top level is an object (an array is a batch, which MCP no longer has);
/// `jsonrpc` is `"2.0"`; an id is a string or an integral number; `method` is a string; `params`, when present, is an
/// object or array (`null` is read as absent); a request has `method` and `id`, a notification `method` alone, a
/// response `id` and `result`, an error response an object `error` and an id that may be `null` or missing.
/// Members other than these are allowed and ignored. When a key repeats, its last occurrence counts, as in
/// `JSONParser`.
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
        let kind: JSONScanner.ValueKind
        do {
            kind = try JSONScanner.scan(bytes, maxDepth: maxDepth) { parts.record($0, in: bytes) }
        } catch {
            return .failure(.parseError(error.description))
        }
        switch kind {
        case .object: return parts.classify(bytes)
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

    /// A key written with escapes (`"\u0069d"`) still names the member; peers decode it before comparing.
    private mutating func recordEscaped(_ member: JSONScanner.Member, key: String) {
        switch key {
        case "id": id = member
        case "error": error = member
        case "method": method = member
        case "params": params = member
        case "result": result = member
        case "jsonrpc": jsonrpc = member
        default: break
        }
    }

    func classify(_ bytes: UnsafeRawBufferPointer) -> Result<MessageEnvelope, MessageProblem> {
        // Read the id first, so every later complaint can be answered to the right request.
        var messageID: JSONRPCID?
        var idIsNull = false
        if let id {
            switch readID(id, in: bytes) {
            case .some(let value): messageID = value
            case .none where id.valueKind == .null: idIsNull = true
            case .none:
                let found = id.valueKind == .number ? "a fractional or infinite number" : describe(id)
                return invalid("`id` must be a string or an integer, not \(found)", id: nil)
            }
        }
        guard let jsonrpc else { return invalid("the `jsonrpc` member is missing; it must be \"2.0\"", id: messageID) }
        guard jsonrpc.valueKind == .string, JSONScanner.decodeString(bytes, valueRange: jsonrpc.valueRange) == "2.0" else {
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

    private func readID(_ member: JSONScanner.Member, in bytes: UnsafeRawBufferPointer) -> JSONRPCID? {
        let raw = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[member.valueRange]), as: UTF8.self)
        switch member.valueKind {
        case .string:
            return JSONRPCID(validRaw: raw, value: .string(JSONScanner.decodeString(bytes, valueRange: member.valueRange)))
        case .number:
            let value = JSONValue.number(JSONNumber(literal: raw))
            return JSONRPCID.isAllowed(value) ? JSONRPCID(validRaw: raw, value: value) : nil
        default:
            return nil
        }
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
