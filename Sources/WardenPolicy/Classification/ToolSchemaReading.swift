import WardenJSON

/// What a tool's input schema says about it: arguments that name destinations, carry money, or hold code.
struct ToolSchemaReading {
    /// Arguments whose values say where data goes or comes from, as argument paths (`output_s3_uri`, `target.url`).
    var destinations: [String] = []
    /// Arguments that carry an amount of money or a currency.
    var money: [String] = []
    /// Arguments whose text the server runs: a command, a script, code, SQL.
    var code: [String] = []
    /// The values of an argument that chooses what the call does (`operation: [get, create, delete]`).
    var operations: [String] = []
    /// The words describing such an argument when it lists its choices in prose instead of an `enum`.
    var operationText: [String] = []
    /// Boolean arguments that make the call destroy something (`in_trash`, `dropTarget`).
    var destroyingFlags: [String] = []
    /// Arguments that widen what one call does: `force`, `recursive`, `cascade`, `overwrite`.
    var amplifiers: [String] = []

    private static let destinationWords: Set<String> = [
        "uri", "url", "urls", "uris", "destination", "dest", "webhook", "endpoint", "callback", "recipient",
        "recipients", "to", "cc", "bcc", "href", "link",
    ]
    private static let moneyWords: Set<String> = ["amount", "currency", "iban", "price", "cents"]
    private static let codeWords: Set<String> = [
        "command", "cmd", "commands", "script", "code", "sql", "statement", "cypher", "javascript", "shell", "bash",
        "python", "function",
    ]
    private static let operationWords: Set<String> = ["operation", "action", "op", "command", "verb", "method", "mode", "task"]
    private static let httpMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    private static let destroyingFlags: Set<String> = ["drop", "purge", "trash", "trashed"]
    private static let amplifierWords: Set<String> = [
        "force", "recursive", "cascade", "overwrite", "purge", "permanent", "permanently", "hard",
    ]

    /// Reads the top-level properties of `schema` and those of object properties one level down.
    init(schema: JSONValue?, queryIsCode: Bool) {
        guard let properties = schema?["properties"]?.objectValue else { return }
        for (name, property) in properties {
            read(path: name, property: property, queryIsCode: queryIsCode)
            if let nested = property["properties"]?.objectValue {
                for (inner, innerProperty) in nested {
                    read(path: "\(name).\(inner)", property: innerProperty, queryIsCode: queryIsCode)
                }
            }
        }
    }

    private mutating func read(path: String, property: JSONValue, queryIsCode: Bool) {
        let leaf = path.split(separator: ".").last.map(String.init) ?? path
        let words = ToolWords.split(leaf)
        let format = property["format"]?.stringValue
        if words.contains(where: Self.destinationWords.contains) || format == "uri" || format == "uri-reference"
            || format == "email"
        {
            destinations.append(path)
        }
        if words.contains(where: Self.moneyWords.contains) { money.append(path) }
        let mentionsSQL = property["description"]?.stringValue.map { ToolWords.split($0).contains("sql") } ?? false
        let type = property["type"]?.stringValue
        let isText = type == nil || type == "string" || (type == "array" && property["items"]?["type"]?.stringValue == "string")
        if isText, let last = words.last,
            Self.codeWords.contains(last) && !(last == "function" && words.count > 1)
                || (last == "query" && (queryIsCode || mentionsSQL))
        {
            code.append(path)
        }
        if Self.operationWords.contains(leaf.lowercased()) {
            if let values = (property["enum"] ?? property["items"]?["enum"])?.arrayValue {
                // `GET`/`DELETE` choose an HTTP method the tool sends somewhere, not what the tool does.
                operations += values.compactMap(\.stringValue).filter { !Self.httpMethods.contains($0) }
            } else if ["operation", "action", "op"].contains(leaf.lowercased()), let text = property["description"]?.stringValue {
                operationText += ToolWords.split(text)
            }
        }
        let isBoolean = property["type"]?.stringValue == "boolean"
        if isBoolean, words.contains(where: Self.amplifierWords.contains) { amplifiers.append(path) }
        if isBoolean, words.contains(where: Self.destroyingFlags.contains) { destroyingFlags.append(path) }
    }
}
