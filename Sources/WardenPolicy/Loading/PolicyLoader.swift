public import Yams

/// Reads a policy file into a `Policy`, reporting every problem with its line, column and a fix.
public enum PolicyLoader {
    /// Loads the policy in `yaml`; `fileName` is what error positions print.
    ///
    /// Throws all the errors found, in file order, not just the first.
    public static func load(yaml: String, fileName: String) throws(PolicyLoadError) -> Policy {
        let root: Node?
        do {
            root = try YAMLSource.compose(yaml, fileName: fileName)
        } catch {
            throw PolicyLoadError(errors: [error])
        }
        guard let root else {
            let position = SourcePosition(fileName: fileName, line: 1, column: 1)
            throw PolicyLoadError(errors: [
                PolicyError(code: .missingKey, position: position, message: "the policy file is empty; start it with `version: 1`")
            ])
        }
        return try load(node: root, fileName: fileName)
    }

    /// Loads a policy from a YAML node already composed, such as a policy written inline in a gateway config, so
    /// error positions are those of the enclosing file.
    public static func load(node root: Node, fileName: String) throws(PolicyLoadError) -> Policy {
        var reader = PolicyReader(fileName: fileName)
        let policy = reader.policy(root)
        guard reader.errors.isEmpty, let policy else {
            // Stable sort: errors at the same place keep the order they were found in.
            let sorted = reader.errors.enumerated().sorted { a, b in
                let (pa, pb) = (a.element.position, b.element.position)
                if pa.line != pb.line { return pa.line < pb.line }
                if pa.column != pb.column { return pa.column < pb.column }
                return a.offset < b.offset
            }
            throw PolicyLoadError(errors: sorted.map(\.element))
        }
        return policy
    }
}
