import Foundation
import Logging
import Synchronization
import Testing
import WardenJSON
@testable import WardenProxy
import WardenTesting

@Suite("Standard streams that are files or devices, and JSON logs")
struct StdioEndpointsTests {
    @Test("warden run reads requests from a file and writes answers to a file (and to /dev/null) without crashing")
    func filesAsStreams() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.write(
            "in.jsonl",
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"from a file"}}}"# + "\n"
                + #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_record","arguments":{"id":"r-1"}}}"# + "\n"
        )
        let outputPath = directory.path + "/out.jsonl"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        for destination in [outputPath, "/dev/null"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: WardenExecutable.path)
            process.arguments = [
                "run", "--policy", directory.path + "/policy.yaml", "--store", "memory:", "--", WardenExecutable.path, "demo-server",
            ]
            try directory.write("policy.yaml", "version: 1\nhide: [delete_record]\n")
            process.standardInput = FileHandle(forReadingAtPath: input)
            process.standardOutput = FileHandle(forWritingAtPath: destination)
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "writing to \(destination)")
        }
        let lines = try String(contentsOfFile: outputPath, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(lines.count == 2)
        #expect(lines.first { $0["id"] == 1 }?["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("from a file") == true)
        #expect(lines.first { $0["id"] == 2 }?["error"]?["code"] == -32602)
    }

    @Test("JSON log lines are valid JSON with time, level, message and the metadata keys as they are")
    func jsonLogLines() throws {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "warden.test") { label in
            JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        logger.notice("tools/call denied", metadata: ["tool.name": "write \"x\"\n", "decision": "denied", "list": ["a", "b"]])
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        #expect(written[0].hasSuffix("\n"))
        let object = try JSONParser.parse(String(written[0].dropLast()))
        #expect(object["level"] == "notice")
        #expect(object["message"] == "tools/call denied")
        #expect(object["tool.name"] == "write \"x\"\n")
        #expect(object["list"] == ["a", "b"])
        let time = object["time"]?.stringValue ?? ""
        #expect(time.count == 24 && time.hasSuffix("Z") && time.contains("T"))
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_764_000_000.123)) == "2025-11-24T16:00:00.123Z")
    }
}
