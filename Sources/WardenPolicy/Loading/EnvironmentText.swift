/// `${NAME}` in a config value or a flag, replaced from the environment, so a secret need not sit in a file, a
/// client's config or a shell history.
///
/// The one expansion in Warden: the gateway config and `warden run --header` read the same syntax the same way.
public enum EnvironmentText {
    /// `text` with every `${NAME}` replaced by the variable's value. An unset name is an error, never an empty
    /// secret; so is a `${` with no closing `}`.
    public static func expand(_ text: String, environment: [String: String]) throws(EnvironmentTextError) -> String {
        var output = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { throw EnvironmentTextError(code: .unclosed, name: nil) }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else { throw EnvironmentTextError(code: .unset, name: name) }
            output += value
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }
}
