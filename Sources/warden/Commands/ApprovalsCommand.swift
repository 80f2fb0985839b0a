import ArgumentParser
import Foundation
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden approvals`: see and decide the calls Warden is holding for a person, from any terminal while it runs.
///
/// Exit status: 0 done; 1 no such approval, or it is no longer pending (the message says what it is); 64 usage.
struct ApprovalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, show, approve or deny calls held for a person (works while the proxy runs).",
        subcommands: [List.self, Show.self, Approve.self, Deny.self],
        defaultSubcommand: List.self
    )

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db) or postgres://USER:PASSWORD@HOST:PORT/DB.")
        var store: String?

        /// The store, or nil when its file does not exist yet (a command here never creates it).
        func open() throws -> (any ApprovalStore)? {
            guard let dsn = try ExistingStore.dsn(store, whenMissing: "no approvals yet") else { return nil }
            return try ExistingStore.open { () throws(StoreError) in try dsn.makeApprovalStore() }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pending approvals, newest first (all with --all).")
        @OptionGroup var options: StoreOptions
        @Flag(name: .long, help: "Include approved, denied, expired and withdrawn ones.") var all = false
        @Flag(name: .long, help: "Print a JSON array.") var json = false
        @Option(name: .long, help: "At most this many.") var limit = 200

        func run() throws {
            guard let store = try options.open() else {
                if json { print("[]") }
                return
            }
            let records = try ExistingStore.open { () throws(StoreError) in try store.list(states: all ? nil : [.pending], limit: limit) }
            if json {
                print(JSONValue.array(records.map(\.jsonValue)).encodedString)
                return
            }
            guard !records.isEmpty else {
                print(all ? "no approvals" : "no pending approvals")
                return
            }
            let now = Timestamp.now()
            var rows = [["ID", "STATE", "AGE", "EXPIRES IN", "AGENT", "TOOL", "ARGUMENTS", "RULE", "REASON"]]
            for record in records {
                rows.append([
                    record.id,
                    record.state.description,
                    ApprovalText.span(now - record.createdAt),
                    record.state == .pending ? ApprovalText.span(record.expiresAt - now) : "-",
                    record.agentID ?? "-",
                    record.server.map { "\($0)/\(record.tool)" } ?? record.tool,
                    ApprovalText.abbreviated(record.arguments ?? "-", to: 60),
                    record.rule ?? "-",
                    record.reason ?? "-",
                ])
            }
            if !all { rows = rows.map { row in row.enumerated().filter { $0.offset != 1 }.map(\.element) } }
            ColumnTable.print(rows)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one approval in full, with its arguments (secrets hidden).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The approval id (ap_…).") var id: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            guard let store = try options.open() else { throw ExitCode(1) }
            guard let record = try ExistingStore.open({ () throws(StoreError) in try store.get(id: id) }) else {
                printError("warden: no approval \(id)")
                throw ExitCode(1)
            }
            if json {
                print(record.jsonValue.encodedString)
                return
            }
            ApprovalText.printDetails(record, now: Timestamp.now())
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a held call through to the server.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The approval id (ap_…).") var id: String
        @Option(name: .long, help: "Who approves (recorded; default $USER).") var by: String?
        @Option(name: .long, help: "Why (recorded).") var reason: String?

        func run() throws {
            try Decision(id: id, state: .approved, by: by, reason: reason).apply(options)
        }
    }

    struct Deny: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse a held call; the agent is told the reason.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The approval id (ap_…).") var id: String
        @Option(name: .long, help: "Who denies (recorded; default $USER).") var by: String?
        @Option(name: .long, help: "Why: the agent is told.") var reason: String

        func validate() throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--reason must say why: the agent reads it")
            }
        }

        func run() throws {
            try Decision(id: id, state: .denied, by: by, reason: reason).apply(options)
        }
    }

    /// A person's approve or deny, applied with the store's compare-and-set.
    struct Decision {
        var id: String
        var state: ApprovalState
        var by: String?
        var reason: String?

        func apply(_ options: StoreOptions) throws {
            guard let store = try options.open() else { throw ExitCode(1) }
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
            let outcome = try ExistingStore.open { () throws(StoreError) in
                try ApprovalDecision.apply(id: id, state: state, by: who, reason: reason, in: store, at: Timestamp.now())
            }
            switch outcome {
            case .notFound:
                printError("warden: no approval \(id)")
                throw ExitCode(1)
            case .alreadyResolved(let record):
                try refuse(record)
            case .notAnApprover(let record):
                printError("warden: \(who) is not an approver of \(id); the rule names \(record.approvers.joined(separator: ", ")) (use --by)")
                throw ExitCode(1)
            case .applied(let after):
                print("\(id): \(state)")
                if let owner = after.ownerInstance, !InstanceID.isAlive(owner) {
                    printError("warden: note: the proxy that held this call (\(owner)) is not running here; the agent may have stopped waiting")
                }
            }
        }

        private func refuse(_ record: ApprovalRecord) throws -> Never {
            printError("warden: approval \(id) is already \(ApprovalDecision.describe(record)); nothing changed")
            throw ExitCode(1)
        }
    }
}

/// How approvals read on a terminal: spans like `4m48s`, aligned columns, one field a line for `show`.
private enum ApprovalText {
    /// A span as people say it: `12s`, `4m48s`, `2h03m`, `3d4h`; negative spans read as `0s`.
    static func span(_ duration: Duration) -> String {
        let seconds = max(duration.wholeMilliseconds / 1000, 0)
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s"
        case ..<86_400: return "\(seconds / 3600)h\(String(format: "%02d", (seconds % 3600) / 60))m"
        default: return "\(seconds / 86_400)d\((seconds % 86_400) / 3600)h"
        }
    }

    /// One line of at most `limit` characters: a table row must not be broken by a long or multi-line value.
    static func abbreviated(_ text: String, to limit: Int) -> String {
        let line = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }


    static func printDetails(_ record: ApprovalRecord, now: Timestamp) {
        func time(_ value: Timestamp) -> String {
            let date = Date(timeIntervalSince1970: Double(value.millisecondsSinceEpoch) / 1000)
            let text = date.formatted(.iso8601)
            return value <= now ? "\(text) (\(span(now - value)) ago)" : "\(text) (in \(span(value - now)))"
        }
        var lines: [(String, String?)] = [
            ("id", record.id),
            ("state", record.state.description),
            ("created", time(record.createdAt)),
            ("expires", time(record.expiresAt)),
            ("agent", record.agentID),
            ("session", record.sessionID),
            ("server", record.server),
            ("tool", record.tool),
            ("rule", record.rule),
            ("reason", record.reason),
            ("arguments", record.arguments ?? "(not kept: held by a Warden that recorded only their digest)"),
            ("digest", record.argumentsDigest.map { "sha256:\($0)" }),
        ]
        if let resolvedAt = record.resolvedAt {
            lines += [("resolved", time(resolvedAt)), ("by", record.resolvedBy), ("because", record.resolutionReason)]
        }
        lines.append(("held by", record.ownerInstance))
        for case let (label, value?) in lines {
            print((label + ":").padding(toLength: 11, withPad: " ", startingAt: 0) + value)
        }
    }
}
