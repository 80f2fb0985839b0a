import ArgumentParser
import Foundation
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden audit`: the decisions Warden recorded, filtered, followed live, or exported.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show, follow, export or prune the audit trail of decisions.",
        subcommands: [Show.self, Export.self, Prune.self],
        defaultSubcommand: Show.self
    )

    struct Filters: ParsableArguments {
        @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db).")
        var store: String?
        @Option(name: .long, help: "Only records newer than this: 15m, 1h, 7d.") var since: String?
        @Option(name: .long, help: "Only records older than this: 15m, 1h, 7d ago.") var until: String?
        @Option(name: .long, help: "Only this agent.") var agent: String?
        @Option(name: .long, help: "Only this tool.") var tool: String?
        @Option(name: .long, help: "Only this decision: allowed, denied, hidden, rate_limited, budget_exceeded, approval_…")
        var decision: String?
        @Option(name: .long, help: "Only decisions by this rule.") var rule: String?
        @Option(name: .long, help: "At most this many (the newest).") var limit: Int?

        func filter() throws -> AuditFilter {
            let now = Timestamp.now()
            func ago(_ text: String?, _ name: String) throws -> Timestamp? {
                guard let text else { return nil }
                guard let duration = DurationText.parse(text) else { throw ValidationError("--\(name) takes a duration such as 15m, 1h or 7d") }
                return now - duration
            }
            return AuditFilter(
                since: try ago(since, "since"),
                until: try ago(until, "until"),
                agentID: agent,
                tool: tool,
                decision: decision,
                rule: rule,
                limit: limit
            )
        }

        /// The store, or nil when its file does not exist yet (reading must not create it).
        func open() throws -> (any AuditStore)? {
            guard let dsn = try ExistingStore.dsn(store, whenMissing: "no audit records yet") else { return nil }
            return try ExistingStore.open { () throws(StoreError) in try dsn.makeAuditStore() }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print matching records (the default).")
        @OptionGroup var filters: Filters
        @Flag(name: .long, help: "Print one JSON array.") var json = false
        @Flag(name: .long, help: "Print one JSON object per line.") var jsonl = false
        @Flag(name: .long, help: "Keep printing new records as they are written.") var follow = false

        func run() throws {
            guard let store = try filters.open() else { return }
            var filter = try filters.filter()
            var records = try store.query(filter)
            if json && !follow {
                print(JSONValue.array(records.map(\.jsonValue)).encodedString)
                return
            }
            if !jsonl && !json { print(AuditTable.header) }
            while true {
                // Written straight to the descriptor, so a follower reading a pipe sees each batch at once.
                let text = records.map { (jsonl || json ? $0.jsonValue.encodedString : AuditTable.row($0)) + "\n" }.joined()
                FileHandle.standardOutput.write(Data(text.utf8))
                guard follow else { return }
                if let last = records.last?.id {
                    filter.afterID = last
                } else if filter.afterID == nil {
                    filter.afterID = try store.query(AuditFilter(limit: 1)).last?.id ?? 0
                }
                filter.limit = nil
                filter.since = nil
                usleep(500_000)
                records = try store.query(filter)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write matching records as JSON lines.")
        @OptionGroup var filters: Filters
        @Option(name: .long, help: "The file to write (default: stdout).") var output: String?

        func run() throws {
            guard let store = try filters.open() else { return }
            let lines = try store.query(try filters.filter()).map { $0.jsonValue.encodedString + "\n" }.joined()
            if let output {
                try lines.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(lines, terminator: "")
            }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete records older than a duration.")
        @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db).") var store: String?
        @Option(name: .customLong("older-than"), help: "e.g. 90d") var olderThan: String

        func run() throws {
            guard let keep = DurationText.parse(olderThan) else { throw ValidationError("--older-than takes a duration such as 90d") }
            var filters = try Filters.parse([])
            filters.store = store
            guard let audit = try filters.open() else { return }
            print("removed \(try audit.prune(before: Timestamp.now() - keep)) records")
        }
    }
}

/// The people's view of audit records.
enum AuditTable {
    static let header = "time (UTC)           agent        tool                     decision          outcome     rule / reason"

    static func row(_ record: AuditRecord) -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count)
        }
        let why = [record.rule.map { "\"\($0)\"" }, record.reason].compactMap { $0 }.joined(separator: " ")
        return pad(format(record.time), 21) + pad(record.agentID ?? "-", 13) + pad(record.tool, 25) + pad(record.decision, 18)
            + pad(record.outcome ?? "-", 12) + why
    }

    static func format(_ time: Timestamp) -> String {
        let date = Date(timeIntervalSince1970: Double(time.millisecondsSinceEpoch) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
