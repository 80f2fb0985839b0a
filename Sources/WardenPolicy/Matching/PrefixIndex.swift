/// Finds the values stored under every prefix of a name, walking the name once.
///
/// Glob rules are filed under their literal prefix (`delete_*` under `delete_`), so a call only checks the globs
/// that could match its tool's name instead of every glob in the policy.
struct PrefixIndex: Sendable {
    private var children: [[Unicode.Scalar: Int]] = [[:]]
    private var values: [[Int]] = [[]]

    var isEmpty: Bool { values.count == 1 && values[0].isEmpty }

    mutating func insert(_ prefix: [Unicode.Scalar], value: Int) {
        var node = 0
        for scalar in prefix {
            if let next = children[node][scalar] {
                node = next
            } else {
                children.append([:])
                values.append([])
                children[node][scalar] = children.count - 1
                node = children.count - 1
            }
        }
        values[node].append(value)
    }

    /// Calls `body` with every value filed under a prefix of `name` (the empty prefix included).
    func forEachValue(alongPrefixesOf name: String, _ body: (Int) -> Void) {
        var node = 0
        for value in values[0] { body(value) }
        for scalar in name.unicodeScalars {
            guard let next = children[node][scalar] else { return }
            node = next
            for value in values[node] { body(value) }
        }
    }
}
