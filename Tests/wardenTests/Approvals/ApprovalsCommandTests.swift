import Foundation
import Testing
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenStore
import WardenTesting

/// `warden approvals` as a person runs it from another terminal: the real binary on a database the test fills.
@Suite("warden approvals")
struct ApprovalsCommandTests {
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    /// A database holding two pending approvals (one with its arguments), one denied and one past its expiry.
    struct Fixture {
        let directory: TemporaryDirectory
        let path: String
        let store: SQLiteApprovalStore

        init() throws {
            directory = try TemporaryDirectory()
            path = directory.path + "/warden.db"
            store = try SQLiteApprovalStore(path: path)
            let now = Timestamp.now()
            let records = [
                ApprovalRecord(
                    id: "ap_withargs",
                    createdAt: now - .seconds(30),
                    expiresAt: now + .seconds(270),
                    agentID: "bot",
                    sessionID: "session-1",
                    server: "records",
                    tool: "write_record",
                    arguments: #"{"id":"legal-7"}"#,
                    argumentsDigest: "0f1e",
                    rule: "legal records need a human",
                    reason: "Legal hold records need consent",
                    ownerInstance: "\(getpid()):test"
                ),
                ApprovalRecord(
                    id: "ap_hashonly",
                    createdAt: now - .seconds(10),
                    expiresAt: now + .seconds(290),
                    agentID: "bot",
                    sessionID: "session-2",
                    tool: "delete_repo",
                    argumentsDigest: "9a8b",
                    rule: "destructive",
                    reason: "Cannot be undone",
                    ownerInstance: "\(getpid()):test"
                ),
                ApprovalRecord(
                    id: "ap_denied",
                    createdAt: now - .seconds(60),
                    expiresAt: now + .seconds(240),
                    sessionID: "session-3",
                    tool: "charge_card",
                    state: .denied,
                    resolvedAt: now - .seconds(50),
                    resolvedBy: "carol",
                    resolutionReason: "too much"
                ),
                ApprovalRecord(
                    id: "ap_named",
                    createdAt: now - .seconds(5),
                    expiresAt: now + .seconds(295),
                    sessionID: "session-5",
                    tool: "wire_money",
                    rule: "finance approves",
                    ownerInstance: "\(getpid()):test",
                    approvers: ["alice", "dana"]
                ),
                ApprovalRecord(
                    id: "ap_late",
                    createdAt: now - .seconds(600),
                    expiresAt: now - .seconds(300),
                    sessionID: "session-4",
                    tool: "send_email",
                    ownerInstance: "\(getpid()):test"
                ),
            ]
            for record in records { try store.create(record) }
        }

        func run(_ arguments: [String]) throws -> Outcome {
            let process = try RunningProcess([WardenExecutable.path, "approvals"] + arguments + ["--store", "sqlite:\(path)"])
            var output = ""
            while let line = try process.readLine() { output += line + "\n" }
            let status = try process.waitForExit()
            return Outcome(status: status, output: output, errors: process.standardError)
        }
    }

    @Test("list shows pending approvals with agent, tool, arguments, rule and reason, and leaves decided ones out")
    func listPending() throws {
        let fixture = try Fixture()
        let listed = try fixture.run(["list"])
        #expect(listed.status == 0)
        let lines = listed.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.first?.contains("EXPIRES IN") == true)
        #expect(lines.dropFirst().map { $0.prefix { $0 != " " } } == ["ap_named", "ap_hashonly", "ap_withargs", "ap_late"])
        let row = try #require(lines.first { $0.hasPrefix("ap_withargs") })
        #expect(lines.first?.contains("ARGUMENTS") == true)
        for field in ["bot", "records/write_record", #"{"id":"legal-7"}"#, "legal records need a human", "Legal hold records need consent"] {
            #expect(row.contains(field))
        }
        #expect(!listed.output.contains("ap_denied"))
    }

    @Test("list --all --json prints every approval as JSON, decided ones included")
    func listAllJSON() throws {
        let fixture = try Fixture()
        let listed = try fixture.run(["list", "--all", "--json"])
        #expect(listed.status == 0)
        let array = try #require(try JSONParser.parse(listed.output).arrayValue)
        #expect(array.compactMap { $0["id"]?.stringValue } == ["ap_named", "ap_hashonly", "ap_withargs", "ap_denied", "ap_late"])
        #expect(array[3]["state"] == "denied")
        #expect(array[3]["resolvedBy"] == "carol")
    }

    @Test("show prints everything about one approval, its arguments when they were kept, and --json the record")
    func show() throws {
        let fixture = try Fixture()
        let shown = try fixture.run(["show", "ap_withargs"])
        #expect(shown.status == 0)
        #expect(shown.output.contains(#"arguments: {"id":"legal-7"}"#))
        #expect(shown.output.contains("digest:    sha256:0f1e"))
        #expect(shown.output.contains("rule:      legal records need a human"))
        let hashOnly = try fixture.run(["show", "ap_hashonly"])
        #expect(hashOnly.output.contains("arguments: (not kept"))
        let json = try fixture.run(["show", "ap_withargs", "--json"])
        #expect(try JSONParser.parse(json.output) == (try fixture.store.get(id: "ap_withargs"))?.jsonValue)
        let missing = try fixture.run(["show", "ap_nothere"])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("no approval ap_nothere"))
    }

    @Test("approve resolves a pending approval; approving it again fails with exit 1 and says it is already approved")
    func approveTwice() throws {
        let fixture = try Fixture()
        let first = try fixture.run(["approve", "ap_withargs", "--by", "alice", "--reason", "checked"])
        #expect(first.status == 0)
        #expect(first.output == "ap_withargs: approved\n")
        let stored = try #require(try fixture.store.get(id: "ap_withargs"))
        #expect(stored.state == .approved)
        #expect(stored.resolvedBy == "alice")
        #expect(stored.resolutionReason == "checked")

        let second = try fixture.run(["approve", "ap_withargs", "--by", "alice"])
        #expect(second.status == 1)
        #expect(second.errors.contains("already approved by alice"))
        #expect(try fixture.store.get(id: "ap_withargs") == stored)
    }

    @Test("a rule's named approvers are the only people who can resolve its approvals")
    func namedApprovers() throws {
        let fixture = try Fixture()
        let stranger = try fixture.run(["approve", "ap_named", "--by", "mallory"])
        #expect(stranger.status == 1)
        #expect(stranger.errors.contains("mallory is not an approver of ap_named"))
        #expect(stranger.errors.contains("alice, dana"))
        #expect(try fixture.store.get(id: "ap_named")?.state == .pending)
        let approver = try fixture.run(["deny", "ap_named", "--by", "dana", "--reason", "not this week"])
        #expect(approver.status == 0)
        let stored = try #require(try fixture.store.get(id: "ap_named"))
        #expect((stored.state, stored.resolvedBy, stored.approvers) == (.denied, "dana", ["alice", "dana"]))
    }

    @Test("deny records the reason the agent will read; a decided approval cannot be denied")
    func deny() throws {
        let fixture = try Fixture()
        let denied = try fixture.run(["deny", "ap_hashonly", "--reason", "not on a Friday", "--by", "bob"])
        #expect(denied.status == 0)
        let stored = try #require(try fixture.store.get(id: "ap_hashonly"))
        #expect(stored.state == .denied)
        #expect(stored.resolutionReason == "not on a Friday")
        let again = try fixture.run(["deny", "ap_denied", "--reason", "no"])
        #expect(again.status == 1)
        #expect(again.errors.contains("already denied by carol"))
    }

    @Test("deny without a reason is a usage error and changes nothing")
    func denyNeedsReason() throws {
        let fixture = try Fixture()
        let denied = try fixture.run(["deny", "ap_hashonly"])
        #expect(denied.status == 64)
        #expect(denied.errors.contains("--reason"))
        #expect(try fixture.store.get(id: "ap_hashonly")?.state == .pending)
    }

    @Test("approving an approval past its expiry marks it expired instead, and fails")
    func approveLate() throws {
        let fixture = try Fixture()
        let late = try fixture.run(["approve", "ap_late", "--by", "alice"])
        #expect(late.status == 1)
        #expect(late.errors.contains("already expired"))
        #expect(try fixture.store.get(id: "ap_late")?.state == .expired)
    }

    @Test("an unknown id fails with exit 1")
    func unknown() throws {
        let fixture = try Fixture()
        let outcome = try fixture.run(["approve", "ap_nothere"])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("no approval ap_nothere"))
    }

    @Test("with no database yet, list says there are no approvals and creates nothing")
    func noDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/none/warden.db"
        let process = try RunningProcess([WardenExecutable.path, "approvals", "list", "--store", "sqlite:\(path)"])
        while try process.readLine() != nil {}
        #expect(try process.waitForExit() == 0)
        #expect(process.standardError.contains("no approvals yet"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
