import Foundation
import Testing
import WardenJSON
import WardenTesting

@Suite("Call timeout")
struct CallTimeoutTests {
    @Test("a server that never answers gets its call answered by Warden and recorded as a timeout")
    func silentServerTimesOut() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write(
            "policy.yaml",
            // The silent server cannot list its tools, so nothing that needs their definitions is asked of it.
            "version: 1\ndefault: allow\nvalidate_arguments: false\npoisoning: off\npins: {mode: off}\n"
        )
        let store = "sqlite:\(directory.path)/warden.db"
        // An upstream that reads everything and answers nothing.
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", store, "--call-timeout", "0.5",
                "--", "/bin/sh", "-c", "while read line; do :; done",
            ],
            keeping: [directory]
        )
        for id in 1...2 {
            let answer = try proxy.request(id: id, method: "tools/call", params: ["name": "read_record", "arguments": ["id": "r-1"]])
            #expect(answer["error"]?["code"] == -32603)
            #expect(answer["error"]?["message"]?.stringValue?.contains("did not answer within 500ms") == true)
        }
        proxy.closeInput()
        _ = try proxy.waitForExit()
        let audit = try RunningProcess([WardenExecutable.path, "audit", "--json", "--store", store])
        let records = try JSONParser.parse(try audit.readLine() ?? "").arrayValue ?? []
        #expect(try audit.waitForExit() == 0)
        #expect(records.map { $0["decision"]?.stringValue ?? "" } == ["allowed", "allowed"])
        #expect(records.map { $0["outcome"]?.stringValue ?? "" } == ["timeout", "timeout"])
    }

    @Test("when the server never answers Warden's own tools/list, the call is refused by name after the timeout")
    func silentServerCannotList() throws {
        let directory = try TemporaryDirectory()
        let policy = try directory.write("policy.yaml", "version: 1\ndefault: allow\n")
        let store = "sqlite:\(directory.path)/warden.db"
        let proxy = try RunningProcess(
            [
                WardenExecutable.path, "run", "--policy", policy, "--store", store, "--call-timeout", "0.5",
                "--", "/bin/sh", "-c", "while read line; do :; done",
            ],
            keeping: [directory]
        )
        let answer = try proxy.request(id: 1, method: "tools/call", params: ["name": "read_record", "arguments": ["id": "r-1"]])
        let text = answer["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(answer["result"]?["isError"] == true)
        #expect(text.contains("could not read the server's tools/list") && text.contains("500ms"), "\(answer)")
        proxy.closeInput()
        _ = try proxy.waitForExit()
        let audit = try RunningProcess([WardenExecutable.path, "audit", "--json", "--store", store])
        let records = try JSONParser.parse(try audit.readLine() ?? "").arrayValue ?? []
        #expect(try audit.waitForExit() == 0)
        #expect(records.map { $0["decision"]?.stringValue ?? "" } == ["denied"])
        #expect(records.first?["rule"] == "definitions")
    }
}
