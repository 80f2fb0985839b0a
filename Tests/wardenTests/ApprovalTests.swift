import Foundation
import Testing
import WardenJSON
import WardenTesting

/// `require_approval` end to end: a real proxy holds the call, `warden approvals` in another process decides it.
@Suite("Approvals through warden run")
struct ApprovalTests {
    static func policy(timeout: String = "5m", askClient: Bool = false) -> String {
        """
        version: 1
        rules:
          - name: legal records need a human
            tool: write_record
            when:
              args.id: {starts_with: "legal-"}
            action: require_approval
            reason: Legal hold records change only with a person's consent
            approval: {timeout: \(timeout)\(askClient ? ", ask_client: true" : "")}
        """
    }

    struct Setup {
        let directory: TemporaryDirectory
        let store: String
        let proxy: RunningProcess
    }

    func start(timeout: String = "5m", askClient: Bool = false, extra: [String] = []) throws -> Setup {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.policy(timeout: timeout, askClient: askClient))
        let store = "sqlite:\(directory.path)/warden.db"
        let proxy = try RunningProcess(
            [WardenExecutable.path, "run", "--policy", policy, "--store", store, "--agent", "bot"] + extra
                + ["--", WardenExecutable.path, "demo-server", "--log-calls"],
            keeping: [directory]
        )
        return Setup(directory: directory, store: store, proxy: proxy)
    }

    /// Runs `warden approvals …` and returns its exit status and stdout.
    func approvals(_ arguments: [String], store: String) throws -> (Int32, String) {
        let process = try RunningProcess([WardenExecutable.path, "approvals"] + arguments + ["--store", store])
        var output = ""
        while let line = try process.readLine() { output += line + "\n" }
        return (try process.waitForExit(), output)
    }

    /// Waits (bounded) until the store shows one pending approval, and returns it.
    func pendingApproval(_ store: String) throws -> JSONValue {
        for _ in 0..<100 {
            let (status, output) = try approvals(["list", "--json"], store: store)
            if status == 0, let list = try? JSONParser.parse(output), let first = list.arrayValue?.first { return first }
            usleep(100_000)
        }
        throw ProcessTestError("no pending approval appeared")
    }

    func sendHeldCall(_ proxy: RunningProcess, id: Int = 1, meta: String = "", value: String = "x") {
        proxy.send(
            #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"write_record","arguments":{"id":"legal-7","value":"\#(value)"}\#(meta)}}"#
        )
    }

    /// Sends `initialize` declaring the elicitation capability, as an agent built on an MCP SDK does.
    func initializeWithElicitation(_ proxy: RunningProcess) throws {
        let initialized = try proxy.request(
            id: 0,
            method: "initialize",
            params: [
                "protocolVersion": "2025-06-18", "capabilities": ["elicitation": [:]],
                "clientInfo": ["name": "tests", "version": "1"],
            ]
        )
        #expect(initialized["result"] != nil)
        proxy.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
    }

    @Test("a held call waits, shows up in warden approvals, and goes through when a person approves it")
    func approveFromCLI() throws {
        let setup = try start()
        sendHeldCall(setup.proxy)
        let pending = try pendingApproval(setup.store)
        #expect(pending["tool"] == "write_record")
        #expect(pending["agent"] == "bot")
        #expect(pending["rule"] == "legal records need a human")
        #expect(!setup.proxy.standardError.contains("called write_record"))
        let id = pending["id"]?.stringValue ?? ""
        let (status, _) = try approvals(["approve", id, "--by", "alice"], store: setup.store)
        #expect(status == 0)
        let answer = try setup.proxy.readMessage()
        #expect(answer["id"] == 1)
        #expect(answer["result"]?["isError"] != true)
        #expect(setup.proxy.waitForStandardError(containing: "called write_record"))
        let (again, _) = try approvals(["approve", id], store: setup.store)
        #expect(again == 1)
        let (_, shown) = try approvals(["show", id, "--json"], store: setup.store)
        let record = try JSONParser.parse(shown)
        #expect(record["state"] == "approved")
        #expect(record["resolvedBy"] == "alice")
    }

    @Test("a denied call gets the approver's reason and never reaches the server")
    func denyFromCLI() throws {
        let setup = try start()
        sendHeldCall(setup.proxy)
        let id = try pendingApproval(setup.store)["id"]?.stringValue ?? ""
        let (status, _) = try approvals(["deny", id, "--reason", "not during the audit"], store: setup.store)
        #expect(status == 0)
        let answer = try setup.proxy.readMessage()
        #expect(answer["result"]?["isError"] == true)
        let text = answer["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains("not during the audit"))
        #expect(answer["result"]?["_meta"]?["warden/decision"]?["approvalId"] == .string(id))
        setup.proxy.closeInput()
        #expect(try setup.proxy.waitForExit() == 0)
        #expect(!setup.proxy.standardError.contains("called write_record"))
    }

    @Test("nobody answering in time is a denial that says it timed out, and the record is expired")
    func timesOut() throws {
        let setup = try start(timeout: "1s")
        sendHeldCall(setup.proxy)
        let answer = try setup.proxy.readMessage(timeout: .seconds(15))
        let text = answer["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains("no one approved this call within 1s"))
        let (_, listed) = try approvals(["list", "--all", "--json"], store: setup.store)
        #expect(try JSONParser.parse(listed).arrayValue?.first?["state"] == "expired")
    }

    @Test("the client cancelling the request withdraws the approval; nothing reaches the server")
    func cancelWithdraws() throws {
        let setup = try start()
        sendHeldCall(setup.proxy, id: 9)
        let id = try pendingApproval(setup.store)["id"]?.stringValue ?? ""
        setup.proxy.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":9,"reason":"user gave up"}}"#)
        var state: JSONValue? = nil
        for _ in 0..<100 {
            let (_, shown) = try approvals(["show", id, "--json"], store: setup.store)
            state = try JSONParser.parse(shown)["state"]
            if state != "pending" { break }
            usleep(100_000)
        }
        #expect(state == "withdrawn")
        let pong = try setup.proxy.request(id: 10, method: "ping")
        #expect(pong["result"] != nil)
        setup.proxy.closeInput()
        #expect(try setup.proxy.waitForExit() == 0)
        #expect(!setup.proxy.standardError.contains("called write_record"))
    }

    @Test("a waiting client that gave a progressToken hears progress until the call is decided")
    func progressWhileWaiting() throws {
        let setup = try start(extra: ["--approval-progress", "0.2"])
        sendHeldCall(setup.proxy, meta: #","_meta":{"progressToken":"p-1"}"#)
        let first = try setup.proxy.readMessage()
        #expect(first["method"] == "notifications/progress")
        #expect(first["params"]?["progressToken"] == "p-1")
        let second = try setup.proxy.readMessage()
        #expect((second["params"]?["progress"]?.numberValue ?? 0) > (first["params"]?["progress"]?.numberValue ?? 0))
    }

    @Test("approvers see the held call's arguments with secrets hidden, though the audit keeps only their digest")
    func approversSeeScrubbedArguments() throws {
        let setup = try start()
        sendHeldCall(setup.proxy, value: "password: hunter2")
        let pending = try pendingApproval(setup.store)
        let arguments = try JSONParser.parse(try #require(pending["arguments"]?.stringValue))
        #expect(arguments == ["id": "legal-7", "value": "password: [redacted]"])
        let (_, table) = try approvals(["list"], store: setup.store)
        #expect(table.contains("ARGUMENTS") && table.contains(#""id":"legal-7""#))
        #expect(!table.contains("hunter2"))
        let (_, shown) = try approvals(["show", pending["id"]?.stringValue ?? ""], store: setup.store)
        #expect(shown.contains(#"arguments: {"id":"legal-7","value":"password: [redacted]"}"#))
    }

    @Test("a client that declares elicitation is not asked to approve its own call unless the rule says ask_client")
    func noSelfApproval() throws {
        let setup = try start()
        try initializeWithElicitation(setup.proxy)
        sendHeldCall(setup.proxy)
        let id = try pendingApproval(setup.store)["id"]?.stringValue ?? ""
        // The call waits for a person out of band: nothing at all reaches the client, and a ping still answers.
        var before: [JSONValue] = []
        let pong = try setup.proxy.request(id: 2, method: "ping", others: &before)
        #expect(pong["result"] != nil)
        #expect(before.isEmpty, "the client was asked: \(before)")
        let (status, _) = try approvals(["approve", id, "--by", "alice"], store: setup.store)
        #expect(status == 0)
        let answer = try setup.proxy.readMessage()
        #expect(answer["method"] == nil, "no elicitation/create may reach the client: \(answer)")
        #expect(answer["id"] == 1)
        #expect(answer["result"]?["_meta"]?["warden/decision"] == nil)
        #expect(setup.proxy.waitForStandardError(containing: "called write_record"))
    }

    @Test("with ask_client: true a client that can elicit asks its own user, and the answer decides the call")
    func inBandElicitation() throws {
        for (decision, expectAllowed) in [("approve", true), ("deny", false)] {
            let setup = try start(askClient: true)
            try initializeWithElicitation(setup.proxy)
            sendHeldCall(setup.proxy)
            let question = try setup.proxy.readMessage()
            #expect(question["method"] == "elicitation/create")
            #expect(question["params"]?["message"]?.stringValue?.contains("write_record") == true)
            let questionID = question["id"] ?? .null
            setup.proxy.send(
                .object([
                    "jsonrpc": "2.0", "id": questionID,
                    "result": ["action": "accept", "content": ["decision": .string(decision), "reason": "checked by hand"]],
                ])
            )
            let answer = try setup.proxy.readMessage()
            #expect(answer["id"] == 1)
            #expect((answer["result"]?["_meta"]?["warden/decision"] == nil) == expectAllowed)
        }
    }
}
