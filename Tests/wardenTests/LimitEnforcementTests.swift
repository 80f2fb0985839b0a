import Foundation
import Testing
import WardenJSON
import WardenTesting

/// Rate limits and budgets enforced by `warden run`, against a real SQLite store in a temporary directory.
@Suite("Limits through warden run")
struct LimitEnforcementTests {
    static let rateLimited = """
        version: 1
        rules:
          - name: echo is throttled
            tool: echo
            rate_limit: {max: 10, window: 60}
        """

    static let budgeted = """
        version: 1
        rules:
          - name: daily charge budget
            tool: create_charge
            budget: {sum: args.amount, max: 100, window: 1d, per: agent}
            reason: Daily spend cap reached
            # The demo server's schema would refuse a missing amount first; this exercises the budget's own check.
            validate_arguments: false
        """

    struct Proxy {
        let process: RunningProcess
        var nextID = 1

        mutating func call(_ tool: String, _ arguments: JSONValue) throws -> JSONValue {
            defer { nextID += 1 }
            return try process.request(id: nextID, method: "tools/call", params: ["name": .string(tool), "arguments": arguments])
        }
    }

    func start(policyAt path: String, store: String, directory: TemporaryDirectory, extra: [String] = []) throws -> Proxy {
        let process = try RunningProcess(
            [WardenExecutable.path, "run", "--policy", path, "--store", store, "--agent", "a1"] + extra
                + ["--", WardenExecutable.path, "demo-server", "--log-calls"],
            keeping: [directory]
        )
        return Proxy(process: process)
    }

    static func isAllowed(_ answer: JSONValue) -> Bool {
        answer["result"] != nil && answer["result"]?["_meta"]?["warden/decision"] == nil
    }

    @Test("ten calls pass under max 10 per 60 s; the eleventh is refused with the retry time, also after a restart")
    func rateLimitHoldsAcrossRestart() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.rateLimited)
        let store = "sqlite:\(directory.path)/warden.db"

        var first = try start(policyAt: policy, store: store, directory: directory)
        for _ in 0..<10 { #expect(Self.isAllowed(try first.call("echo", ["text": "hi"]))) }
        let refused = try first.call("echo", ["text": "hi"])
        let decision = refused["result"]?["_meta"]?["warden/decision"]
        #expect(refused["result"]?["isError"] == true)
        #expect(decision?["rule"] == "echo is throttled")
        let retry = decision?["retryAfterSeconds"]?.numberValue ?? -1
        #expect(retry >= 1 && retry <= 60)
        let text = refused["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains("retry after"))
        #expect(text.contains("at most 10 calls per 1m per session"))
        first.process.closeInput()
        #expect(try first.process.waitForExit() == 0)
        #expect(first.process.standardError.components(separatedBy: "called echo").count - 1 == 10)

        var second = try start(policyAt: policy, store: store, directory: directory)
        let afterRestart = try second.call("echo", ["text": "hi"])
        #expect(afterRestart["result"]?["_meta"]?["warden/decision"]?["rule"] == "echo is throttled")
        #expect((afterRestart["result"]?["_meta"]?["warden/decision"]?["retryAfterSeconds"]?.numberValue ?? 0) >= 1)
        second.process.closeInput()
        #expect(try second.process.waitForExit() == 0)
        #expect(!second.process.standardError.contains("called echo"))
    }

    @Test("thirty calls sent at once under max 10: exactly ten reach the server")
    func concurrentCallsCannotOvershoot() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.rateLimited)
        let proxy = try start(policyAt: policy, store: "sqlite:\(directory.path)/warden.db", directory: directory)
        for id in 1...30 {
            proxy.process.send(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}"#)
        }
        var allowed = 0
        var refused = 0
        for _ in 1...30 {
            let answer = try proxy.process.readMessage()
            if Self.isAllowed(answer) { allowed += 1 } else { refused += 1 }
        }
        #expect(allowed == 10)
        #expect(refused == 20)
        proxy.process.closeInput()
        #expect(try proxy.process.waitForExit() == 0)
        #expect(proxy.process.standardError.components(separatedBy: "called echo").count - 1 == 10)
    }

    @Test("a policy reload does not reset the counters")
    func reloadKeepsCounters() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.rateLimited)
        var proxy = try start(policyAt: policy, store: "sqlite:\(directory.path)/warden.db", directory: directory)
        for _ in 0..<10 { #expect(Self.isAllowed(try proxy.call("echo", ["text": "hi"]))) }
        try directory.write("policy.yaml", Self.rateLimited + "\n    reason: Echo is rationed\n")
        #expect(proxy.process.waitForStandardError(containing: "policy reloaded"), "stderr: \(proxy.process.standardError)")
        let refused = try proxy.call("echo", ["text": "hi"])
        #expect(refused["result"]?["_meta"]?["warden/decision"]?["reason"] == "Echo is rationed")
    }

    @Test("a budget sums the argument, refuses what would exceed it, and denies a missing or negative amount")
    func budgetSumsArgument() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", Self.budgeted)
        var proxy = try start(policyAt: policy, store: "sqlite:\(directory.path)/warden.db", directory: directory)
        #expect(Self.isAllowed(try proxy.call("create_charge", ["amount": 60, "currency": "EUR"])))
        let over = try proxy.call("create_charge", ["amount": 50, "currency": "EUR"])
        #expect(over["result"]?["_meta"]?["warden/decision"]?["reason"] == "Daily spend cap reached")
        #expect((over["result"]?["_meta"]?["warden/decision"]?["retryAfterSeconds"]?.numberValue ?? 0) > 80_000)
        #expect(Self.isAllowed(try proxy.call("create_charge", ["amount": 40, "currency": "EUR"])))
        let missing = try proxy.call("create_charge", ["currency": "EUR"])
        #expect(missing["result"]?["isError"] == true)
        #expect(missing["result"]?["_meta"]?["warden/decision"]?["rule"] == "daily charge budget")
        let negative = try proxy.call("create_charge", ["amount": -500, "currency": "EUR"])
        #expect(negative["result"]?["isError"] == true)
        let tooBig = try proxy.call("create_charge", ["amount": 1000, "currency": "EUR"])
        let text = tooBig["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains("retrying will not help"))
        proxy.process.closeInput()
        #expect(try proxy.process.waitForExit() == 0)
        #expect(proxy.process.standardError.components(separatedBy: "called create_charge").count - 1 == 2)
    }

    @Test("a call the server answers with a JSON-RPC error gives its quota back")
    func errorsRollBack() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write(
            "policy.yaml",
            // Definitions off, so the unknown tool reaches the server, which answers with the error under test.
            "version: 1\nvalidate_arguments: false\npoisoning: off\npins: {mode: off}\n"
                + "rules:\n  - name: one try\n    tool: no_such_tool\n    rate_limit: {max: 1, window: 1h}\n"
        )
        var proxy = try start(policyAt: policy, store: "sqlite:\(directory.path)/warden.db", directory: directory)
        for _ in 0..<3 {
            // Each time the server itself answers (unknown tool), so nothing was used up.
            let answer = try proxy.call("no_such_tool", [:])
            #expect(answer["error"]?["code"] == -32602)
        }
    }

    @Test("when the store cannot be opened, calls that need it fail closed, others go on; fail: open lets them through")
    func storeFailureFailsClosed() throws {
        let directory = try TemporaryDirectory()
        try directory.write("blocker", "a file where a directory should be")
        let badStore = "sqlite:\(directory.path)/blocker/warden.db"
        // Pins live in the store too: with them on (the default) every call needs it, and is refused saying why.
        let pinned = try directory.write("pinned.yaml", Self.rateLimited)
        var guarded = try start(policyAt: pinned, store: badStore, directory: directory, extra: ["--no-audit"])
        let unpinned = try guarded.call("read_record", ["id": "r-1"])
        #expect(unpinned["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("the pin store is unavailable") == true)

        let closed = try directory.write("closed.yaml", Self.rateLimited.replacingOccurrences(of: "version: 1\n", with: "version: 1\npins: {mode: off}\n"))
        var proxy = try start(policyAt: closed, store: badStore, directory: directory, extra: ["--no-audit"])
        let refused = try proxy.call("echo", ["text": "hi"])
        let text = refused["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains("the store is unavailable"))
        #expect(Self.isAllowed(try proxy.call("read_record", ["id": "r-1"])))

        // With the audit trail on, nothing can be recorded, so nothing is forwarded.
        var audited = try start(policyAt: closed, store: badStore, directory: directory)
        let unrecorded = try audited.call("read_record", ["id": "r-1"])
        let reason = unrecorded["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(reason.contains("audit trail cannot be written"))

        let open = try directory.write("open.yaml", "version: 1\nfail: open\n" + Self.rateLimited.split(separator: "\n").dropFirst().joined(separator: "\n"))
        var lenient = try start(policyAt: open, store: badStore, directory: directory)
        // `fail: open` forwards uncounted and unrecorded rather than refusing.
        #expect(Self.isAllowed(try lenient.call("echo", ["text": "hi"])))
    }
}
