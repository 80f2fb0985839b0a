import Foundation
import Testing
import WardenJSON
import WardenTesting

/// The agent picks its request ids; Warden's bookkeeping must not trust them.
@Suite("Call identity through warden run")
struct CallIdentityTests {
    static let budgeted = """
        version: 1
        rules:
          - name: charge budget
            tool: create_charge
            budget: {sum: args.amount, max: 100, window: 1d}
            reason: Spend cap reached
        """

    /// A stdio server that answers every request on its own thread: `"slow"` after two seconds, anything else at once.
    static let answeringServer = """
        import json, sys, threading, time
        lock = threading.Lock()
        def answer(message, delay):
            time.sleep(delay)
            text = message["params"]["arguments"]["text"]
            with lock:
                sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": {"content": [{"type": "text", "text": text}]}}) + "\\n")
                sys.stdout.flush()
        for line in sys.stdin:
            message = json.loads(line)
            if "id" not in message:
                continue
            sys.stderr.write("server saw id " + json.dumps(message["id"]) + "\\n")
            sys.stderr.flush()
            if message["method"] == "tools/list":
                with lock:
                    tools = [{"name": "echo", "inputSchema": {"type": "object"}}]
                    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": {"tools": tools}}) + "\\n")
                    sys.stdout.flush()
                continue
            delay = 2.0 if message["params"]["arguments"]["text"] == "slow" else 0
            threading.Thread(target=answer, args=(message, delay)).start()
        """

    func line(id: JSONValue, tool: String, arguments: JSONValue) -> String {
        let message: JSONValue = ["jsonrpc": "2.0", "id": id, "method": "tools/call", "params": ["name": .string(tool), "arguments": arguments]]
        return message.encodedString
    }

    @Test("a twin request reusing an id in flight is refused before any decision, so its error cannot refund the other's budget")
    func twinRequestCannotRefundBudget() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.budgeted)
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", "sqlite:\(directory.path)/warden.db", "--agent", "a1",
                "--", WardenExecutable.path, "demo-server", "--log-calls",
            ],
            keeping: [directory]
        )
        var charged = 0
        for round in 0..<5 {
            let id = JSONValue.number(JSONNumber(round + 1))
            // Both lines arrive in one write: the twin is read while the charge still waits for its budget.
            let charge = line(id: id, tool: "create_charge", arguments: ["amount": 90, "currency": "EUR", "customer": "c-1"])
            let twin = line(id: id, tool: "no_such_tool", arguments: [:])
            #expect(proxy.send(charge + "\n" + twin))
            var answers: [JSONValue] = []
            for _ in 0..<2 { answers.append(try proxy.readMessage()) }
            let refusals = answers.filter { $0["error"]?["code"] == -32600 }
            #expect(refusals.count == 1, "round \(round): \(answers)")
            #expect(refusals.first?["error"]?["message"]?.stringValue?.contains("still in flight") == true)
            if answers.contains(where: { $0["result"] != nil && $0["result"]?["_meta"]?["warden/decision"] == nil }) { charged += 1 }
        }
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
        // A budget of 100 fits one charge of 90, however the ids are played.
        #expect(charged == 1)
        #expect(proxy.standardError.components(separatedBy: "called create_charge").count - 1 == 1)
        #expect(!proxy.standardError.contains("called no_such_tool"))
    }

    @Test("a call that timed out stays counted: the server may have done the work")
    func timedOutCallKeepsItsQuota() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write(
            "policy.yaml",
            // The silent server cannot list its tools, so nothing that needs their definitions is asked of it.
            "version: 1\nvalidate_arguments: false\npoisoning: off\npins: {mode: off}\n"
                + "rules:\n  - name: one call\n    tool: read_record\n    rate_limit: {max: 1, window: 1h}\n"
        )
        let store = "sqlite:\(directory.path)/warden.db"
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", store, "--call-timeout", "0.5",
                "--", "/bin/sh", "-c", "while read line; do :; done",
            ],
            keeping: [directory]
        )
        let first = try proxy.request(id: 1, method: "tools/call", params: ["name": "read_record", "arguments": ["id": "r-1"]])
        #expect(first["error"]?["code"] == -32603)
        let second = try proxy.request(id: 2, method: "tools/call", params: ["name": "read_record", "arguments": ["id": "r-1"]])
        #expect(second["result"]?["_meta"]?["warden/decision"]?["rule"] == "one call")
        proxy.closeInput()
        _ = try proxy.waitForExit()
        let audit = try RunningProcess([WardenExecutable.path, "audit", "--json", "--store", store])
        let records = try JSONParser.parse(try audit.readLine() ?? "").arrayValue ?? []
        #expect(try audit.waitForExit() == 0)
        #expect(records.map { $0["decision"]?.stringValue ?? "" } == ["allowed", "rate_limited"])
        #expect(records.first?["outcome"] == "timeout")
        // The refusal's record names the request and the arguments' digest like every other decision.
        #expect(records.last?["requestId"] == "2")
        #expect(records.last?["argumentsSha256"]?.stringValue?.count == 64)
    }

    @Test("after a call times out, a new call under the same id gets its own answer and the late one is dropped")
    func reusedIDAfterTimeoutGetsItsOwnAnswer() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", "version: 1\ndefault: allow\n")
        let server = try directory.write("server.py", Self.answeringServer)
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", "memory:", "--call-timeout", "0.5", "--log-level", "info",
                "--", "python3", server,
            ],
            keeping: [directory]
        )
        let slow = try proxy.request(id: 7, method: "tools/call", params: ["name": "echo", "arguments": ["text": "slow"]])
        #expect(slow["error"]?["message"]?.stringValue?.contains("did not answer within") == true)
        let fast = try proxy.request(id: 7, method: "tools/call", params: ["name": "echo", "arguments": ["text": "fast"]])
        #expect(fast["id"] == 7)
        #expect(fast["result"]?["content"]?.arrayValue?.first?["text"] == "fast")
        // The server answers the first call late; the client, already answered, hears nothing more.
        #expect(proxy.waitForStandardError(containing: "late upstream answer dropped", timeout: .seconds(5)))
        #expect(throws: (any Error).self) { try proxy.readLine(timeout: .milliseconds(300)) }
        proxy.closeInput()
        _ = try proxy.waitForExit()
    }

    @Test("a tools/call without an id is refused, never passed through unjudged")
    func toolCallNotificationIsRefused() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", "version: 1\ndefault: allow\nhide: [delete_record]\n")
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", "memory:",
                "--", WardenExecutable.path, "demo-server", "--log-calls",
            ],
            keeping: [directory]
        )
        #expect(proxy.send(#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"delete_record","arguments":{"id":"r-1"}}}"#))
        let answer = try proxy.readMessage()
        #expect(answer["error"]?["code"] == -32600)
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
        #expect(!proxy.standardError.contains("called delete_record"))
    }
}
