import WardenJSON

extension ToolReading {
    /// Nouns of a name or description that mean a `query` argument holds a database query rather than search words.
    private static let databaseWords: Set<String> = [
        "sql", "database", "db", "postgres", "postgresql", "mysql", "sqlite", "snowflake", "bigquery", "clickhouse",
        "duckdb", "redshift", "athena", "cypher", "neo4j", "oracle", "mssql", "mariadb", "cassandra", "cql",
    ]

    /// Reads the input schema: code arguments make it execute, money arguments on a change make it financial.
    mutating func readSchema() {
        let descriptionWords = ToolWords.split(tool.description ?? "")
        let queryIsCode = (["run", "execute", "exec", "query"].contains(verb ?? ""))
            && (nameHas(Self.databaseWords) != nil || descriptionWords.contains(where: Self.databaseWords.contains))
        schema = ToolSchemaReading(schema: tool.inputSchema, queryIsCode: queryIsCode)
        if let code = schema.code.first {
            raise(to: .execute)
            note(.argument, code, "code runs: the server executes this text")
        }
        readOperations()
        if let flag = schema.destroyingFlags.first, category != .read {
            raise(to: .destructive)
            note(.argument, flag, "a flag that destroys")
        }
        if let money = schema.money.first {
            if category != .read, category != .other { raise(to: .financial) }
            note(.argument, money, "money")
        }
        if verb == "export", category == .read, !schema.destinations.isEmpty {
            category = .write
            note(.name, "export", "sends data to a destination the caller chooses")
        }
        for destination in schema.destinations.prefix(3) {
            note(.argument, destination, category == .read ? "reaches a place the caller chooses" : "data leaves")
        }
        for amplifier in schema.amplifiers.prefix(2) {
            note(.argument, amplifier, "widens what one call does")
        }
    }

    /// Verbs that say only that the tool does something: its operations say what.
    static let genericVerbs: Set<String> = ["manage", "handle", "administer", "operate", "perform", "process", "do"]

    /// A tool whose `operation` argument chooses among verbs is as dangerous as its most dangerous choice.
    private mutating func readOperations() {
        if evidence.contains(where: { $0.meaning == Self.apiRequest }) { return }
        var choices = schema.operations
        if Self.genericVerbs.contains(verb ?? "") {
            choices += schema.operationText + ToolWords.split(Self.firstSentence(tool.description ?? ""))
        } else if verb == nil {
            choices += schema.operationText
        }
        var worst: (value: String, category: ToolCategory)?
        for value in choices {
            guard let found = Self.firstVerb(in: ToolWords.split(value), inflected: false) else { continue }
            var category = found.category
            if ["remove", "rm"].contains(found.verb), nameHas(ToolVocabulary.relationNouns) != nil { category = .write }
            if Self.danger(category) > Self.danger(worst?.category ?? .other) { worst = (value, category) }
        }
        guard let worst, Self.danger(worst.category) > Self.danger(category) else { return }
        // A name that says what the tool does is trusted over its list of choices, except for the choices that
        // destroy or move money: for those the more dangerous reading wins.
        let open = Self.genericVerbs.contains(verb ?? "") || !nameDecided
        guard open || worst.category == .destructive || worst.category == .financial else { return }
        category = worst.category
        note(.schema, "operation \"\(worst.value)\"", "one of its operations \(Self.meaning(of: worst.category))")
    }

    /// Reads the server's annotations: they may raise the severity, never lower it.
    mutating func readAnnotations() {
        guard let annotations = tool.annotations else { return }
        if annotations["destructiveHint"]?.boolValue == true {
            if category == .other { category = .destructive }
            note(.annotation, "destructiveHint: true", "the server says it may destroy data")
        }
        if annotations["readOnlyHint"]?.boolValue == true {
            let agrees = category == .read || category == .other
            note(.annotation, "readOnlyHint: true", agrees ? "the server says it only reads" : "claims read-only; not trusted over the name")
        }
        if annotations["openWorldHint"]?.boolValue == true {
            note(.annotation, "openWorldHint: true", "reaches outside systems")
        }
        if annotations["idempotentHint"]?.boolValue == true {
            note(.annotation, "idempotentHint: true", "repeating it changes nothing more")
        }
    }
}
