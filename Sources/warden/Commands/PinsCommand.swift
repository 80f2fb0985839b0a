import ArgumentParser
import Foundation
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden pins`: review the tool definitions Warden holds because a server changed them, from any terminal while
/// it runs.
///
/// Exit status: 0 done (also when there is nothing to show); 1 no such pin, or nothing pending to accept; 64 usage.
struct PinsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pins",
        abstract: "List pinned tool definitions, show what changed, and accept changes (works while the proxy runs).",
        subcommands: [List.self, Diff.self, Accept.self],
        defaultSubcommand: List.self
    )

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db) or postgres://USER:PASSWORD@HOST:PORT/DB.")
        var store: String?

        /// The DSN, or nil when its file does not exist yet (a command here never creates it).
        func dsn() throws -> StoreDSN? {
            try ExistingStore.dsn(store, whenMissing: "no pins yet")
        }

        func openPins(_ dsn: StoreDSN) throws -> any PinStore {
            try ExistingStore.open { () throws(StoreError) in try dsn.makePinStore() }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pins: state, fingerprints, first seen, changed at, accepted by.")
        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: "Only this server's pins.") var server: String?
        @Flag(name: .long, help: "Print a JSON array.") var json = false

        func run() throws {
            guard let dsn = try options.dsn() else {
                if json { print("[]") }
                return
            }
            let store = try options.openPins(dsn)
            let records = try ExistingStore.open { () throws(StoreError) in try store.list(server: server) }
            if json {
                print(JSONValue.array(records.map(\.jsonValue)).encodedString)
                return
            }
            guard !records.isEmpty else {
                print(server.map { "no pins for server \($0) yet" } ?? "no pins yet")
                return
            }
            var rows = [["SERVER", "TOOL", "STATE", "FINGERPRINT", "FIRST SEEN", "CHANGED AT", "ACCEPTED BY"]]
            for record in records {
                rows.append([
                    record.server,
                    record.tool,
                    record.stateName,
                    PinText.fingerprints(record),
                    record.firstSeen.utcText,
                    record.changedAt?.utcText ?? "-",
                    record.acceptedBy.map { by in record.acceptedAt.map { "\(by) at \($0.utcText)" } ?? by } ?? "-",
                ])
            }
            ColumnTable.print(rows)
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what changed: the trusted and the pending definition, one key a line, as a unified diff."
        )
        @OptionGroup var options: StoreOptions
        @Argument(help: "The server, as named in the policy or gateway config.") var server: String
        @Argument(help: "The tool.") var tool: String
        @Flag(name: .long, help: "Colour the diff even when the output is not a terminal.") var color = false
        @Option(name: .long, help: "Unchanged lines shown around each change.") var context = 3

        func run() throws {
            guard let dsn = try options.dsn() else { throw ExitCode(1) }
            let store = try options.openPins(dsn)
            guard let record = try ExistingStore.open({ () throws(StoreError) in try store.get(server: server, tool: tool) }) else {
                printError("warden: no pin for \(server)/\(tool) (warden pins list shows the pinned tools)")
                throw ExitCode(1)
            }
            guard record.isHeld else {
                print("\(server)/\(tool): nothing pending; the trusted definition is \(PinAudit.short(record.trustedFingerprint))")
                return
            }
            let diff = DefinitionDiff(old: record.trustedDefinition, new: record.pendingDefinition)
            let colored = color || (isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
            print(
                diff.unified(
                    oldLabel: "\(server)/\(tool) trusted \(PinAudit.short(record.trustedFingerprint))",
                    newLabel: "\(server)/\(tool) pending \(PinAudit.short(record.pendingFingerprint))",
                    context: context,
                    color: colored
                ),
                terminator: ""
            )
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trust a tool's pending definition (or every pending one of a server with --all); the audit records who."
        )
        @OptionGroup var options: StoreOptions
        @Argument(help: "The server.") var server: String
        @Argument(help: "The tool (or --all).") var tool: String?
        @Flag(name: .long, help: "Accept every pending definition of the server.") var all = false
        @Option(name: .long, help: "Who accepts (recorded; default $USER).") var by: String?

        func validate() throws {
            guard (tool == nil) == all else { throw ValidationError("name a tool, or give --all (not both)") }
        }

        func run() throws {
            guard let dsn = try options.dsn() else { throw ExitCode(1) }
            let pins = try options.openPins(dsn)
            let audit = try ExistingStore.open { () throws(StoreError) in try dsn.makeAuditStore() }
            defer { audit.close() }
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
            let now = Timestamp.now()
            guard let tool else {
                let before = try ExistingStore.open { () throws(StoreError) in try pins.list(server: server) }
                guard !before.isEmpty else {
                    printError("warden: no pins for server \(server) (warden pins list shows the pinned tools)")
                    throw ExitCode(1)
                }
                let accepted = try ExistingStore.open { () throws(StoreError) in
                    try PinAudit.acceptAll(server: server, by: who, via: "cli", pins: pins, audit: audit, at: now)
                }
                guard !accepted.isEmpty else {
                    print("\(server): nothing pending; every definition is trusted")
                    return
                }
                let earlier = Dictionary(before.map { ($0.tool, $0) }, uniquingKeysWith: { first, _ in first })
                for after in accepted { print(PinText.accepted(before: earlier[after.tool], after: after, by: who)) }
                return
            }
            guard let before = try ExistingStore.open({ () throws(StoreError) in try pins.get(server: server, tool: tool) }) else {
                printError("warden: no pin for \(server)/\(tool) (warden pins list shows the pinned tools)")
                throw ExitCode(1)
            }
            let accepted = try ExistingStore.open { () throws(StoreError) in
                try PinAudit.accept(server: server, tool: tool, by: who, via: "cli", pins: pins, audit: audit, at: now)
            }
            guard let after = accepted else {
                let trusted = PinAudit.short(before.trustedFingerprint)
                printError("warden: \(server)/\(tool) has nothing pending to accept; its trusted definition is \(trusted)")
                throw ExitCode(1)
            }
            print(PinText.accepted(before: before, after: after, by: who))
        }
    }
}

/// How pins read on a terminal.
private enum PinText {
    /// `trusted` alone, or `trusted→pending` while a definition is held (`none` for a side that has none).
    static func fingerprints(_ record: PinRecord) -> String {
        guard record.isHeld else { return PinAudit.short(record.trustedFingerprint) }
        return "\(PinAudit.short(record.trustedFingerprint))→\(PinAudit.short(record.pendingFingerprint))"
    }

    static func accepted(before: PinRecord?, after: PinRecord, by person: String) -> String {
        let (old, new) = (PinAudit.short(before?.trustedFingerprint), PinAudit.short(after.trustedFingerprint))
        return "\(after.server)/\(after.tool): accepted \(old)→\(new) (by \(person))"
    }
}
