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
        if let money = schema.money.first {
            if category != .read, category != .other { raise(to: .financial) }
            note(.argument, money, "money")
        }
        for destination in schema.destinations.prefix(3) {
            note(.argument, destination, category == .read ? "reaches a place the caller chooses" : "data leaves")
        }
        for amplifier in schema.amplifiers.prefix(2) {
            note(.argument, amplifier, "widens what one call does")
        }
    }

    /// Reads the server's annotations: they may raise the severity, never lower it.
    mutating func readAnnotations() {
        guard let annotations = tool.annotations else { return }
        if annotations["destructiveHint"]?.boolValue == true {
            if category == .read || category == .other { category = .destructive }
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
