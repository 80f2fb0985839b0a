import Foundation
import Testing
import WardenJSON
import WardenTesting

/// An id whose call timed out is free again: the client may use it for a new call and must get that call's answer.
@Suite("A reused id after a call timeout, through warden run")
struct ReusedIDTests {
    /// A stdio server that answers each call on its own thread after `delay` seconds, with the call's `text`.
    static let server = """
        import json, sys, threading, time
        lock = threading.Lock()
        def write(message):
            with lock:
                sys.stdout.write(json.dumps(message) + "\\n")
                sys.stdout.flush()
        def answer(message):
            arguments = message["params"]["arguments"]
            time.sleep(arguments.get("delay", 0))
            write({"jsonrpc": "2.0", "id": message["id"], "result": {"content": [{"type": "text", "text": arguments["text"]}]}})
        for line in sys.stdin:
            message = json.loads(line)
            if "id" not in message:
                continue
            if message["method"] == "tools/list":
                write({"jsonrpc": "2.0", "id": message["id"], "result": {"tools": [{"name": "echo", "inputSchema": {"type": "object"}}]}})
            elif message["method"] == "tools/call":
                threading.Thread(target=answer, args=(message,)).start()
            else:
                write({"jsonrpc": "2.0", "id": message["id"], "result": {}})
        """

    @Test("after id 7 timed out, a new call with id 7 gets its own answer, and the late answer to the first is dropped")
    func reusedIDGetsItsOwnAnswer() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", "version: 1\ndefault: allow\n")
        let script = try directory.write("server.py", Self.server)
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", "sqlite:\(directory.path)/warden.db", "--call-timeout", "1",
                "--", "/usr/bin/env", "python3", script,
            ],
            keeping: [directory]
        )
        let slow = try proxy.request(id: 7, method: "tools/call", params: ["name": "echo", "arguments": ["text": "slow", "delay": 2.5]])
        #expect(slow["error"]?["message"]?.stringValue?.contains("did not answer within 1s") == true, "\(slow)")
        let fast = try proxy.request(id: 7, method: "tools/call", params: ["name": "echo", "arguments": ["text": "fast"]])
        #expect(fast["result"]?["content"]?.arrayValue?.first?["text"] == "fast", "\(fast)")
        // The first call's late answer comes now; it must not reach the client as an answer to anything.
        Thread.sleep(forTimeInterval: 2)
        var others: [JSONValue] = []
        let later = try proxy.request(id: 7, method: "tools/call", params: ["name": "echo", "arguments": ["text": "later"]], others: &others)
        #expect(later["result"]?["content"]?.arrayValue?.first?["text"] == "later", "\(later)")
        #expect(others.isEmpty, "\(others)")
        proxy.closeInput()
        _ = try proxy.waitForExit()
    }
}
