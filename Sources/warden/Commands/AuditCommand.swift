import ArgumentParser
import Foundation
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden audit`: the decisions Warden recorded, filtered, followed live, exported or pruned.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show, follow, export or prune the audit trail of decisions.",
        subcommands: [Show.self, Export.self, Prune.self],
        defaultSubcommand: Show.self
    )

    /// The options that choose records, shared by `show` and `export`.
    struct Filters: ParsableArguments {
        @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db) or postgres://USER:PASSWORD@HOST:PORT/DB.")
        var store: String?
        @Option(name: .long, help: "Only records at or after this: \(AuditTimeText.help).") var since: String?
        @Option(name: .long, help: "Only records at or before this: \(AuditTimeText.help).") var until: String?
        @Option(name: .long, help: "Only this agent.") var agent: String?
        @Option(name: .long, help: "Only this tool.") var tool: String?
        @Option(name: .long, help: "Only this decision: \(AuditDecision.all.map(\.description).joined(separator: ", ")).")
        var decision: String?
        @Option(name: .long, help: "Only decisions made by this rule.") var rule: String?
        @Option(name: .long, help: "At most this many records (the newest).") var limit: Int?

        func validate() throws {
            if let decision, AuditDecision(name: decision) == nil {
                throw ValidationError(
                    "--decision: unknown decision `\(decision)`; use one of \(AuditDecision.all.map(\.description).joined(separator: ", "))"
                )
            }
            if let limit, limit < 1 { throw ValidationError("--limit takes a number of records, 1 or more") }
            _ = try filter(now: Timestamp.now())
        }

        func filter(now: Timestamp) throws -> AuditFilter {
            func time(_ text: String?, _ name: String) throws -> Timestamp? {
                guard let text else { return nil }
                guard let time = AuditTimeText.parse(text, now: now) else { throw ValidationError("--\(name) takes \(AuditTimeText.help)") }
                return time
            }
            return AuditFilter(
                since: try time(since, "since"),
                until: try time(until, "until"),
                agentID: agent,
                tool: tool,
                decision: decision.flatMap { AuditDecision(name: $0) },
                rule: rule,
                limit: limit
            )
        }

        /// The store, or nil (after saying so) when its file does not exist yet: reading never creates it.
        func open() throws -> (any AuditStore)? {
            guard let dsn = try ExistingStore.dsn(store, whenMissing: "no audit records yet") else { return nil }
            return try ExistingStore.open { () throws(StoreError) in try dsn.makeAuditStore() }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print matching records (the default): a table, or JSON for programs."
        )
        @OptionGroup var filters: Filters
        @Flag(name: .long, help: "Print one JSON array.") var json = false
        @Flag(name: .long, help: "Print one JSON object per line.") var jsonl = false
        @Flag(name: .long, help: "Keep printing new records as they are written, until interrupted.") var follow = false

        func validate() throws {
            if json && jsonl { throw ValidationError("choose one of --json and --jsonl") }
            if json && follow { throw ValidationError("--follow prints records as they come; use --jsonl with it, not --json") }
            if follow && filters.until != nil { throw ValidationError("--follow waits for new records; it cannot take --until") }
        }

        func run() throws {
            guard let store = try filters.open() else { return }
            var filter = try filters.filter(now: Timestamp.now())
            let records = try read(store, filter)
            if json {
                AuditOutput.write(JSONValue.array(records.map(\.jsonValue)).encodedString + "\n")
                return
            }
            if !jsonl, !records.isEmpty || follow { AuditOutput.write(AuditTable.header + "\n") }
            if !follow, records.isEmpty, !jsonl { printError("no matching audit records") }
            emit(records)
            guard follow else { return }
            // From here on only what is new: everything after the newest record already in the trail.
            filter.afterID = try records.last?.id ?? read(store, AuditFilter(limit: 1)).last?.id ?? 0
            filter.since = nil
            filter.limit = nil
            while true {
                usleep(500_000)
                let new = try read(store, filter)
                emit(new)
                if let last = new.last?.id { filter.afterID = last }
            }
        }

        private func emit(_ records: [AuditRecord]) {
            guard !records.isEmpty else { return }
            AuditOutput.write(records.map { (jsonl ? $0.jsonValue.encodedString : AuditTable.row($0)) + "\n" }.joined())
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write matching records as JSON lines, to stdout or a file.")
        @OptionGroup var filters: Filters
        @Option(name: .long, help: "The file to write (default: stdout).") var output: String?

        func run() throws {
            guard let store = try filters.open() else { return }
            let records = try read(store, try filters.filter(now: Timestamp.now()))
            let lines = records.map { $0.jsonValue.encodedString + "\n" }.joined()
            guard let output else {
                AuditOutput.write(lines)
                return
            }
            do {
                try Data(lines.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                printError("warden: cannot write \(output): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            printError("exported \(records.count) records to \(output)")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete records older than a duration (retention).")
        @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db) or postgres://USER:PASSWORD@HOST:PORT/DB.") var store: String?
        @Option(name: .customLong("older-than"), help: "Records older than this go, e.g. 30d or 12h.") var olderThan: String

        func validate() throws {
            if DurationText.parse(olderThan) == nil { throw ValidationError("--older-than takes a duration such as 30d, 12h or 3600") }
        }

        func run() throws {
            guard let keep = DurationText.parse(olderThan) else { return }
            guard let dsn = try ExistingStore.dsn(store, whenMissing: "no audit records yet") else { return }
            let audit = try ExistingStore.open { () throws(StoreError) in try dsn.makeAuditStore() }
            let removed = try read { () throws(StoreError) in try audit.prune(before: Timestamp.now() - keep) }
            AuditOutput.write("removed \(removed) records\n")
        }
    }
}

/// Runs a store operation, turning a failure into a message and exit status 1.
private func read<T>(_ body: () throws(StoreError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("warden: \(error)")
        throw ExitCode(1)
    }
}

private func read(_ store: any AuditStore, _ filter: AuditFilter) throws -> [AuditRecord] {
    try read { () throws(StoreError) in try store.query(filter) }
}
