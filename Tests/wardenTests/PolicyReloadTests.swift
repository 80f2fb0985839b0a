import Foundation
import Testing
import WardenJSON
import WardenTesting

@Suite("Policy hot reload")
struct PolicyReloadTests {
    static let denyEcho = """
        version: 1
        rules:
          - name: no echo
            tool: echo
            action: deny
            reason: echo is off
        """
    static let allowEcho = """
        version: 1
        rules:
          - name: echo is fine
            tool: echo
            action: allow
        """

    func echo(_ proxy: RunningProcess, id: Int) throws -> Bool {
        let answer = try proxy.request(id: id, method: "tools/call", params: ["name": "echo", "arguments": ["text": "hi"]])
        return answer["result"]?["isError"] != true
    }

    @Test("a valid edit applies to the next call in the same session; an invalid edit is refused and the old policy stays")
    func reloadsWithoutDroppingSession() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("policy.yaml", Self.denyEcho)
        let proxy = try RunningProcess([
            WardenExecutable.path, "run", "--policy", path, "--", WardenExecutable.path, "demo-server",
        ], keeping: [directory])
        #expect(try echo(proxy, id: 1) == false)

        try directory.write("policy.yaml", Self.allowEcho)
        #expect(proxy.waitForStandardError(containing: "policy reloaded"), "stderr: \(proxy.standardError)")
        #expect(try echo(proxy, id: 2) == true)

        try directory.write("policy.yaml", "version: 1\nrules:\n  - name: broken\n    tool: echo\n    action: explode\n")
        #expect(proxy.waitForStandardError(containing: "policy edit refused"), "stderr: \(proxy.standardError)")
        #expect(proxy.standardError.contains("policy.yaml:5:"))
        #expect(try echo(proxy, id: 3) == true)

        try directory.write("policy.yaml", Self.denyEcho)
        #expect(proxy.waitForStandardError(containing: "policy reloaded", count: 2), "stderr: \(proxy.standardError)")
        #expect(try echo(proxy, id: 4) == false)
        proxy.closeInput()
        #expect(try proxy.waitForExit() == 0)
    }
}
