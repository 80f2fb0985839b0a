public import Yams

/// Reads a policy file into a `Policy`, reporting every problem with its line, column and a fix.
public enum PolicyLoader {
    /// Loads the policy in `yaml`; `fileName` is what error positions print.
    ///
    /// Throws all the errors found, in file order, not just the first.
    public static func load(yaml: String, fileName: String) throws(PolicyLoadError) -> Policy {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PolicyLoadError(errors: [syntaxError(error, fileName: fileName)])
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

    private static func syntaxError(_ error: any Error, fileName: String) -> PolicyError {
        func at(_ mark: Mark?) -> SourcePosition { SourcePosition(fileName: fileName, line: mark?.line ?? 1, column: mark?.column ?? 1) }
        let hint = "; check the indentation, and quote values that contain `: `, ` #`, or start with `*`, `&`, `!`, `@`, `[` or `{`"
        guard let yamlError = error as? YamlError else {
            return PolicyError(code: .syntax, position: at(nil), message: "not valid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "not valid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return PolicyError(code: .syntax, position: at(mark), message: message + hint)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return PolicyError(
                code: .syntax,
                position: at(context.mark),
                message: "duplicate key \(keys) in one map; each key may appear only once"
            )
        case .reader(let problem, _, _, _):
            return PolicyError(code: .syntax, position: at(nil), message: "cannot read the file as text: \(problem)")
        default:
            return PolicyError(code: .syntax, position: at(nil), message: "not valid YAML: \(yamlError)")
        }
    }
}
