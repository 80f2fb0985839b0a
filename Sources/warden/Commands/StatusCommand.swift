import ArgumentParser
import Foundation
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden status`: what Warden is running and has been deciding lately, read from the store.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Running instances, calls and denials in the last minutes, top denying rules and pending approvals."
    )

    @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db) or postgres://USER:PASSWORD@HOST:PORT/DB.") var store: String?
    @Option(name: .long, help: "How many minutes back to count.") var minutes: Int = 15
    @Flag(name: .long, help: "Print JSON.") var json = false

    /// An instance that has not beaten for this long is presumed gone; running ones beat every 5 seconds.
    static let aliveWindow: Duration = .seconds(30)

    func validate() throws {
        if minutes < 1 { throw ValidationError("--minutes takes a number of minutes, 1 or more") }
    }

    func run() throws {
        guard let dsn = try ExistingStore.dsn(store, whenMissing: "no audit records yet") else { return }
        let now = Timestamp.now()
        let status = try ExistingStore.open { () throws(StoreError) in
            let audit = try dsn.makeAuditStore()
            let registry = try dsn.makeInstanceRegistry()
            // The approval store is the authority on what still waits: it expires calls whose proxy went away, which
            // the trail (an approval_pending record with no resolution after it) cannot tell.
            let approvals = try dsn.makeApprovalStore()
            return Status(
                minutes: minutes,
                instances: try registry.instances(aliveSince: now - Self.aliveWindow),
                summary: try audit.summary(since: now - .seconds(Int64(minutes) * 60)),
                pending: try approvals.list(states: [.pending], limit: nil)
            )
        }
        print(json ? status.jsonValue.encodedString : status.text)
    }
}

/// What `warden status` reports.
private struct Status {
    var minutes: Int
    var instances: [InstanceRecord]
    var summary: AuditSummary
    var pending: [ApprovalRecord]

    var jsonValue: JSONValue {
        func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
        let byDecision = summary.byDecision.sorted { $0.key.description < $1.key.description }
        return [
            "minutes": number(minutes),
            "calls": number(summary.total),
            "refusals": number(summary.refusals),
            "byDecision": .object(JSONObject(byDecision.map { (key: $0.key.description, value: number($0.value)) })),
            "topDenyingRules": .array(summary.topDenyingRules.map { ["rule": .string($0.rule), "count": number($0.count)] }),
            "pendingApprovals": number(pending.count),
            "instances": .array(
                instances.map { instance in
                    [
                        "id": .string(instance.id),
                        "pid": number(Int(instance.pid)),
                        "mode": .string(instance.mode),
                        "server": instance.server.map { .string($0) } ?? .null,
                        "startedAt": .string(instance.startedAt.iso8601),
                        "heartbeatAt": .string(instance.heartbeatAt.iso8601),
                    ]
                }
            ),
        ]
    }

    var text: String {
        var lines = ["running instances: \(instances.count)"]
        for instance in instances {
            lines.append("  pid \(instance.pid)  \(instance.mode)  server=\(instance.server ?? "-")  since \(instance.startedAt.utcText) UTC")
        }
        lines.append("last \(minutes) minutes: \(summary.total) decisions, \(summary.refusals) refused")
        for decision in AuditDecision.all + summary.byDecision.keys.filter({ !AuditDecision.all.contains($0) }) {
            guard let count = summary.byDecision[decision] else { continue }
            lines.append("  \(decision): \(count)")
        }
        lines.append("top denying rules:")
        if summary.topDenyingRules.isEmpty { lines.append("  none") }
        for entry in summary.topDenyingRules { lines.append("  \(entry.count)  \(entry.rule)") }
        lines.append("pending approvals: \(pending.count)")
        for record in pending.prefix(10) { lines.append("  \(record.id)  \(record.tool)  agent=\(record.agentID ?? "-")") }
        return lines.joined(separator: "\n")
    }
}
