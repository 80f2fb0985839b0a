import ArgumentParser
import Foundation
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden approvals`: see and decide the calls Warden is holding for a person.
struct ApprovalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, show, approve or deny calls held for a person (works while the proxy runs).",
        subcommands: [List.self, Show.self, Approve.self, Deny.self],
        defaultSubcommand: List.self
    )

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db).")
        var store: String?

        /// The store, or nil when its file does not exist yet (a read-only command must not create it).
        func open() throws -> (any ApprovalStore)? {
            guard let dsn = try ExistingStore.dsn(store, whenMissing: "no approvals yet") else { return nil }
            return try ExistingStore.open { () throws(StoreError) in try dsn.makeApprovalStore() }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pending approvals (all with --all).")
        @OptionGroup var options: StoreOptions
        @Flag(name: .long, help: "Include resolved approvals.") var all = false
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            guard let store = try options.open() else { return }
            let records = try store.list(states: all ? nil : [.pending], limit: 200)
            if json {
                print(JSONValue.array(records.map(\.jsonValue)).encodedString)
                return
            }
            if records.isEmpty {
                print(all ? "no approvals" : "no pending approvals")
                return
            }
            let now = Timestamp.now()
            for record in records {
                let age = (now - record.createdAt).wholeMilliseconds / 1000
                let left = max(0, (record.expiresAt - now).wholeMilliseconds / 1000)
                var line = "\(record.id)  \(record.state)  \(record.tool)  agent=\(record.agentID ?? "-")  age=\(age)s"
                if record.state == .pending { line += "  expires-in=\(left)s" }
                if let rule = record.rule { line += "  rule=\"\(rule)\"" }
                if let reason = record.reason { line += "  — \(reason)" }
                print(line)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one approval in full.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The approval id (ap_…).") var id: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            guard let store = try options.open() else { throw ExitCode(1) }
            guard let record = try store.get(id: id) else {
                printError("warden: no approval \(id)")
                throw ExitCode(1)
            }
            if json {
                print(record.jsonValue.encodedString)
                return
            }
            guard case .object(let object) = record.jsonValue else { return }
            for (key, value) in object where value != .null {
                print("\(key): \(value.stringValue ?? value.encodedString)")
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a held call through.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The approval id (ap_…).") var id: String
        @Option(name: .long, help: "Who approves (recorded).") var by: String?
        @Option(name: .long, help: "Why (recorded).") var reason: String?

        func run() throws {
            try settle(id, to: .approved, by: by, reason: reason, options: options)
        }
    }

    struct Deny: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse a held call; the agent reads the reason.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The approval id (ap_…).") var id: String
        @Option(name: .long, help: "Who denies (recorded).") var by: String?
        @Option(name: .long, help: "Why: the agent is told.") var reason: String

        func run() throws {
            try settle(id, to: .denied, by: by, reason: reason, options: options)
        }
    }
}

private func settle(_ id: String, to state: ApprovalState, by: String?, reason: String?, options: ApprovalsCommand.StoreOptions) throws {
    guard let store = try options.open() else { throw ExitCode(1) }
    let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
    guard let record = try store.resolve(id: id, to: state, by: who, reason: reason, at: Timestamp.now()) else {
        printError("warden: no approval \(id)")
        throw ExitCode(1)
    }
    guard record.state == state, record.resolvedBy == who else {
        printError("warden: approval \(id) is already \(record.state); nothing changed")
        throw ExitCode(1)
    }
    print("\(id): \(state)")
}
