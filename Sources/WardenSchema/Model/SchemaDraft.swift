/// The JSON Schema dialect a document declares with `$schema`; the few keywords whose meaning changed follow it.
enum SchemaDraft: Hashable, Sendable {
    case draft4, draft6, draft7, draft2019, draft2020

    /// Whether keywords beside a `$ref` are ignored, as they were up to draft-07.
    var ignoresSiblingsOfReference: Bool {
        switch self {
        case .draft4, .draft6, .draft7: true
        case .draft2019, .draft2020: false
        }
    }

    /// The dialect named by a `$schema` URI, or nil when Warden does not know it.
    ///
    /// The scheme (`http`/`https`) and a trailing `#` vary between servers that mean the same meta-schema.
    init?(metaSchema uri: String) {
        var text = Substring(uri)
        if text.hasSuffix("#") { text = text.dropLast() }
        if text.hasPrefix("https://") {
            text = text.dropFirst("https://".count)
        } else if text.hasPrefix("http://") {
            text = text.dropFirst("http://".count)
        } else {
            return nil
        }
        switch text {
        case "json-schema.org/draft-04/schema": self = .draft4
        case "json-schema.org/draft-06/schema": self = .draft6
        case "json-schema.org/draft-07/schema": self = .draft7
        case "json-schema.org/draft/2019-09/schema": self = .draft2019
        case "json-schema.org/draft/2020-12/schema", "json-schema.org/schema": self = .draft2020
        default: return nil
        }
    }
}
