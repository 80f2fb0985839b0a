/// A string that equals and hashes by its Unicode scalars, not by canonical equivalence as `String` does.
///
/// Swift's `String ==` treats `"\u{212A}ey"` (Kelvin sign) as `"Key"` and `"e\u{301}"` as `"é"`, but a JSON reader
/// on the other side of the proxy keeps them apart; judging one member while the server reads another is exactly
/// the confusion a policy must not allow. Use this wherever a JSON key or string is compared or looked up.
public struct ScalarKey: Hashable, Sendable, CustomStringConvertible {
    public let string: String

    public init(_ string: String) { self.string = string }

    public var description: String { string }

    public static func == (lhs: ScalarKey, rhs: ScalarKey) -> Bool { equal(lhs.string, rhs.string) }

    public func hash(into hasher: inout Hasher) { Self.hash(string, into: &hasher) }

    /// Whether two strings hold the same Unicode scalars; for valid strings that is the same UTF-8 bytes.
    @inline(__always)
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// Feeds the string's UTF-8 bytes to `hasher`, agreeing with `equal`.
    public static func hash(_ string: String, into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(string.utf8.count)
    }
}
