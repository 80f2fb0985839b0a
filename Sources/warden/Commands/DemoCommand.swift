import ArgumentParser
import Foundation
import WardenJSON
import WardenMCP
import WardenDemoServer
import WardenProxy

/// `warden demo`: a scripted agent session against the demo server behind Warden, narrated call by call.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch Warden allow, deny and hide tool calls of a scripted agent, in a few seconds."
    )

    @Flag(name: .customLong("show-policy"), help: "Print the demo policy first.")
    var showPolicy = false

    func run() throws {
        let executable = try Self.currentExecutable()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-demo-\(SessionID.make().prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let policyPath = directory.appendingPathComponent("demo-policy.yaml").path
        try DemoPolicy.yaml.write(toFile: policyPath, atomically: true, encoding: .utf8)

        print("Warden demo: an agent talks to the demo MCP server through `warden run`, over real pipes.")
        print("Policy: examples/demo-policy.yaml (hides delete_record; checks export destinations, charge amounts, legal holds)")
        if showPolicy { print("\n" + DemoPolicy.yaml) }
        print("")

        let child = try ChildProcess.spawn([
            executable, "run", "--policy", policyPath, "--agent", "demo-agent", "--log-level", "warning", "--store", "memory:", "--",
            executable, "demo-server",
        ])
        var session = DemoSession(child: child)
        defer {
            close(child.stdinWriter)
            _ = child.waitForExit()
        }
        try session.play()
    }

    static func currentExecutable() throws -> String {
        let path = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return path
    }
}

/// The scripted agent: sends each step and prints what Warden decided.
struct DemoSession: ~Copyable {
    let child: ChildProcess
    var reader: LineReader
    var nextID = 1

    init(child: ChildProcess) {
        self.child = child
        self.reader = LineReader(descriptor: child.stdoutReader)
    }

    mutating func play() throws {
        _ = try request("initialize", [
            "protocolVersion": "2025-11-25",
            "capabilities": [:],
            "clientInfo": ["name": "warden-demo-agent", "version": "1.0"],
        ])
        writeAll(JSONRPCMessage.notification(method: "notifications/initialized", params: nil) + [0x0A], to: child.stdinWriter)

        let listed = try request("tools/list", [:])
        let names = listed["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        step("tools/list", verdict: "LIST ", detail: "\(names.count) tools visible: \(names.joined(separator: ", "))")
        print("      delete_record exists on the server but the policy hides it: the agent never sees it.\n")

        try call("read_record", ["id": "r-1"])
        try call("write_record", ["id": "r-1", "value": "reviewed"])
        try call("write_record", ["id": "legal-7", "value": "shredded"])
        try call("start_export_job", ["destination_uri": "s3://approved-exports/q3", "dataset": "claims"])
        try call("start_export_job", ["destination_uri": "s3://attacker-bucket/q3", "dataset": "claims"])
        try call("start_export_job", ["dataset": "claims"])
        try call("create_charge", ["amount": 40, "currency": "EUR"])
        try call("create_charge", ["amount": 1200, "currency": "EUR"])
        try call("delete_record", ["id": "r-1"])
        print("\nEvery decision was made by Warden before the server saw the call; denied calls never reached it.")
    }

    private mutating func call(_ tool: String, _ arguments: JSONObject) throws {
        let answer = try request("tools/call", ["name": .string(tool), "arguments": .object(arguments)])
        let summary = "\(tool) \(JSONValue.object(arguments).encodedString)"
        if let error = answer["error"] {
            step(summary, verdict: "HIDE ", detail: "JSON-RPC error \(error["code"]?.numberValue.map { Int($0) } ?? 0): \(error["message"]?.stringValue ?? "")")
            return
        }
        let result = answer["result"]
        let text = result?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        if result?["_meta"]?["warden/decision"] != nil {
            step(summary, verdict: "DENY ", detail: text)
        } else {
            step(summary, verdict: "ALLOW", detail: "server answered: \(text)")
        }
    }

    private func step(_ what: String, verdict: String, detail: String) {
        print("  \(verdict)  \(what)")
        print("         \(detail)")
    }

    private mutating func request(_ method: String, _ params: JSONObject) throws -> JSONValue {
        let id = nextID
        nextID += 1
        let message = JSONRPCMessage.request(id: .number(JSONNumber(id)), method: method, params: .object(params))
        guard writeAll(message + [0x0A], to: child.stdinWriter) else { throw DemoFailure(message: "the proxy closed its input") }
        while true {
            guard let line = try reader.nextLine(timeoutMilliseconds: 10_000) else {
                throw DemoFailure(message: "the proxy exited before answering \(method)")
            }
            let value = try JSONParser.parse(line)
            if value["id"]?.numberValue == Double(id) { return value }
        }
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "demo failed: \(message)" }
}
