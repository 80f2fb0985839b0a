public import WardenJSON

/// A JSON-RPC request id: a string or an integer, with the exact text it was written as.
///
/// Replies echo `raw`, so a peer that matches ids by their text still recognises them. Two ids are equal when
/// their values are (`"a"` and `"\u0061"`, `7` and `7.0`), because a peer that re-encodes an id may change its
/// spelling but not its value.
public struct JSONRPCID: Hashable, Sendable, CustomStringConvertible {
    /// The id's exact JSON text, such as `7` or `"a-1"`.
    public let raw: String
    /// The id's value: `.string` or an integral `.number`.
    public let value: JSONValue

    /// An id for `value`, or nil when JSON-RPC does not allow it as an id (null, bool, fractional, array, object).
    public init?(_ value: JSONValue) {
        guard Self.isAllowed(value) else { return nil }
        self.value = value
        self.raw = value.encodedString
    }

    /// An id read from its JSON text, or nil when the text is not JSON or not an allowed id.
    public init?(raw: String) {
        guard let value = try? JSONParser.parse(raw, maxDepth: 0), Self.isAllowed(value) else { return nil }
        self.raw = raw
        self.value = value
    }

    /// An id whose text the caller already validated.
    init(validRaw raw: String, value: JSONValue) {
        self.raw = raw
        self.value = value
    }

    /// Whether JSON-RPC 2.0 (as MCP uses it) accepts `value` as a request id: a string or an exact whole number.
    ///
    /// `MessageInspector` is stricter with the ids it reads off the wire (plain integer literals up to 2^53 - 1).
    public static func isAllowed(_ value: JSONValue) -> Bool {
        switch value {
        case .string: return true
        case .number(let number): return number.isInteger
        default: return false
        }
    }

    public var description: String { raw }

    public static func == (lhs: JSONRPCID, rhs: JSONRPCID) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
