import Foundation
import Testing
import WardenJSON
import WardenTesting

@Suite("Standard streams that are files or devices")
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
}
