extension JSONScanner {
    /// Remembers a few bits per top-level key of a scan, enough to prove without allocating that no key repeats.
    ///
    /// Feed it every member `scan` reports. When `mayHaveDuplicate` stays false, no two keys are equal; when it turns
    /// true (two keys share a signature, or a key has escapes and so cannot be judged from its bytes), call
    /// `firstDuplicateKey(in:)` for the exact answer. The usual JSON-RPC keys never share a signature.
    public struct KeySieve: Sendable {
        private var seen: (UInt64, UInt64) = (0, 0)
        /// Whether two keys may be equal; false means they certainly are not.
        public private(set) var mayHaveDuplicate = false

        public init() {}

        public mutating func add(_ member: Member, in bytes: UnsafeRawBufferPointer) {
            guard !mayHaveDuplicate else { return }
            guard !member.keyHasEscapes else {
                mayHaveDuplicate = true
                return
            }
            let range = member.keyRange
            var signature = UInt64(range.count) &* 0x9E37_79B9_7F4A_7C15
            if !range.isEmpty {
                let middle = bytes[range.lowerBound + range.count / 2]
                signature ^= UInt64(bytes[range.lowerBound]) << 16 | UInt64(middle) << 8 | UInt64(bytes[range.upperBound - 1])
                signature = (signature ^ (signature >> 29)) &* 0xBF58_476D_1CE4_E5B9
            }
            let bit: UInt64 = 1 << (signature >> 58)
            if signature & (1 << 57) == 0 {
                if seen.0 & bit != 0 { mayHaveDuplicate = true } else { seen.0 |= bit }
            } else {
                if seen.1 & bit != 0 { mayHaveDuplicate = true } else { seen.1 |= bit }
            }
        }
    }

    /// The first top-level key that occurs a second time, comparing Unicode scalars after unescaping (`"a"` and
    /// `"\u0061"` are the same key, `"Key"` and `"\u212Aey"` are not); nil when none does or the top level is not an object.
    ///
    /// RFC 8259 leaves duplicate keys to the reader, and readers disagree (Python and JavaScript keep the last, others
    /// the first or an error), so a message that has one can be read two ways.
    public static func firstDuplicateKey(in bytes: UnsafeRawBufferPointer, maxDepth: Int = 128) throws(JSONParseError) -> String? {
        var seen = Set<ScalarKey>()
        var duplicate: String?
        try scan(bytes, maxDepth: maxDepth) { member in
            guard duplicate == nil else { return }
            let key = member.key(in: bytes)
            if !seen.insert(ScalarKey(key)).inserted { duplicate = key }
        }
        return duplicate
    }
}
