/// Finds a fixed string inside values byte by byte of UTF-8, in time linear in the value, with no allocation.
///
/// Comparing UTF-8 compares Unicode scalars: the Kelvin sign is not `K`, and `é` is not `e` + U+0301, as in
/// Python. The table is Knuth–Morris–Pratt's, built once when the policy loads, so a long value with many near
/// matches costs no more than one pass.
struct SubstringFinder: Sendable {
    private let needle: [UInt8]
    /// For each prefix length, the length of the longest proper prefix of the needle that is also its suffix.
    private let fallback: [Int]

    init(_ text: String) {
        let needle = Array(text.utf8)
        var fallback = [Int](repeating: 0, count: needle.count + 1)
        var length = 0
        for index in needle.indices.dropFirst() {
            while length > 0, needle[index] != needle[length] { length = fallback[length] }
            if needle[index] == needle[length] { length += 1 }
            fallback[index + 1] = length
        }
        self.needle = needle
        self.fallback = fallback
    }

    /// Whether the needle occurs anywhere in `text`; the empty needle occurs in every string.
    func occurs(in text: String) -> Bool {
        if needle.isEmpty { return true }
        var matched = 0
        for byte in text.utf8 {
            while matched > 0, byte != needle[matched] { matched = fallback[matched] }
            if byte == needle[matched] {
                matched += 1
                if matched == needle.count { return true }
            }
        }
        return false
    }
}
