public import Yams

/// Turns YAML text into a node tree for a `YAMLReading` reader, or says where and why the text is not YAML.
public enum YAMLSource {
    /// The document in `yaml`, or nil when it is empty; `fileName` is what the error's position prints.
    public static func compose(_ yaml: String, fileName: String) throws(PolicyError) -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch {
            throw syntaxError(error, fileName: fileName)
        }
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
