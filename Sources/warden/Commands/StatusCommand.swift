import ArgumentParser
import Foundation
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore

/// `warden status`: what Warden has been deciding lately, from the store.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Calls and denials in the last minutes, top denying rules and pending approvals, from the store."
    )

    @Option(name: .long, help: "The store: sqlite:PATH (default sqlite:~/.warden/warden.db).") var store: String?
    @Option(name: .long, help: "How many minutes back to count.") var minutes: Int = 15
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() throws {
        guard let dsn = try ExistingStore.dsn(store, whenMissing: "no activity yet") else { return }
        let audit = try ExistingStore.open { () throws(StoreError) in try dsn.makeAuditStore() }
        let approvals = try ExistingStore.open { () throws(StoreError) in try dsn.makeApprovalStore() }
        let records = try audit.query(AuditFilter(since: Timestamp.now() - .seconds(Int64(minutes) * 60)))
        var byDecision: [String: Int] = [:]
        var denyingRules: [String: Int] = [:]
        for record in records {
            byDecision[record.decision, default: 0] += 1
            if record.decision != "allowed", record.decision != "approval_pending", let rule = record.rule {
                denyingRules[rule, default: 0] += 1
            }
        }
        let topRules = denyingRules.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
        let pending = try approvals.list(states: [.pending], limit: nil)
        let instances: [InstanceRecord]
        if dsn.kind == .sqlite {
            let registry = try ExistingStore.open { () throws(StoreError) in try SQLiteInstanceRegistry(path: dsn.location) }
            instances = try registry.instances(aliveSince: Timestamp.now() - .seconds(30))
        } else {
            instances = []
        }
        if json {
            let value: JSONValue = [
                "minutes": .number(JSONNumber(minutes)),
                "calls": .number(JSONNumber(records.count)),
                "byDecision": .object(JSONObject(byDecision.sorted { $0.key < $1.key }.map { (key: $0.key, value: .number(JSONNumber($0.value))) })),
                "topDenyingRules": .array(topRules.map { ["rule": .string($0.key), "count": .number(JSONNumber($0.value))] }),
                "pendingApprovals": .number(JSONNumber(pending.count)),
                "instances": .array(
                    instances.map {
                        ["id": .string($0.id), "pid": .number(JSONNumber(Int($0.pid))), "mode": .string($0.mode), "server": $0.server.map { .string($0) } ?? .null]
                    }
                ),
            ]
            print(value.encodedString)
            return
        }
        print("running instances: \(instances.count)")
        for instance in instances { print("  pid \(instance.pid)  \(instance.mode)  server=\(instance.server ?? "-")") }
        print("last \(minutes) minutes: \(records.count) decisions")
        for (decision, count) in byDecision.sorted(by: { $0.key < $1.key }) { print("  \(decision): \(count)") }
        print("top denying rules:")
        if topRules.isEmpty { print("  none") }
        for (rule, count) in topRules { print("  \(count)  \(rule)") }
        print("pending approvals: \(pending.count)")
        for record in pending.prefix(10) { print("  \(record.id)  \(record.tool)  agent=\(record.agentID ?? "-")") }
    }
}
