import Foundation
import Logging
import Synchronization
import Testing
import WardenJSON
@testable import WardenProxy

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    /// A logger whose lines land in `lines`, each parsed back with Foundation's own JSON reader.
    final class Capture: Sendable {
        let lines = Mutex<[String]>([])

        func logger(level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) -> Logger {
            Logger(label: "warden.test") { label in
                JSONLogHandler(label: label, level: level, metadataProvider: metadataProvider) { line in
                    self.lines.withLock { $0.append(line) }
                }
            }
        }

        var written: [String] { lines.withLock { $0 } }

        func objects() throws -> [[String: Any]] {
            try written.map { line in
                #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil, "one line each: \(line)")
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                return try #require(object as? [String: Any])
            }
        }
    }

    @Test("a decision line carries time, level, label, message and the dotted metadata keys as flat string keys")
    func decisionLine() throws {
        let capture = Capture()
        capture.logger().notice(
            "tools/call denied",
            metadata: ["tool.name": "write_record", "decision": "denied", "decision.rule": "legal hold", "session.id": "s-1"]
        )
        let object = try #require(try capture.objects().first)
        #expect(object["level"] as? String == "notice")
        #expect(object["label"] as? String == "warden.test")
        #expect(object["message"] as? String == "tools/call denied")
        #expect(object["tool.name"] as? String == "write_record")
        #expect(object["decision.rule"] as? String == "legal hold")
        #expect(object["session.id"] as? String == "s-1")
        #expect(object.count == 8)
        let line = capture.written[0]
        #expect(line.hasPrefix(#"{"time":""#))
        #expect(line.contains(#"","level":"notice","label":"warden.test","message":"tools/call denied","#))
    }

    @Test("the time is RFC 3339 in UTC with milliseconds, close to the wall clock")
    func timeOfLine() throws {
        let capture = Capture()
        let before = Date()
        capture.logger().info("hello")
        let after = Date()
        let time = try #require(try capture.objects().first?["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(time)")
        let parsed = try #require(try? Date(time, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
        #expect(parsed >= before.addingTimeInterval(-0.001) && parsed <= after)
    }

    @Test(
        "timestamps agree with Foundation's calendar across leap days, centuries and the epoch",
        arguments: [
            Int64(0), -1, 951_782_400_000, 951_868_799_999, 1_709_164_800_123, 4_102_444_800_000, -2_208_988_800_001, 253_402_300_799_999,
        ]
    )
    func timestampsMatchFoundation(milliseconds: Int64) {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        #expect(LogTimestamp(millisecondsSince1970: milliseconds).description == formatter.string(from: date))
    }

    @Test("quotes, backslashes, control characters, DEL, line separators and non-ASCII text survive a round trip")
    func escaping() throws {
        let nasty =
            "quote \" backslash \\ slash / newline \n return \r tab \t nul \u{0} bell \u{7} esc \u{1B} del \u{7F} "
            + "ls \u{2028} ps \u{2029} é 日本 🦉 \u{FEFF}"
        let capture = Capture()
        capture.logger().info("\(nasty)", metadata: [nasty: "\(nasty)"])
        let line = capture.written[0]
        #expect(!line.dropLast().contains { $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false })
        #expect(!line.contains("\u{2028}") && !line.contains("\u{2029}"))
        #expect(line.contains(#"\u0000"#) && line.contains(#"\u001b"#) && line.contains(#"\u007f"#) && line.contains(#"\u2028"#))
        #expect(line.contains("日本 🦉"))
        let object = try #require(try capture.objects().first)
        #expect(object["message"] as? String == nasty)
        #expect(object[nasty] as? String == nasty)
    }

    @Test("arrays and dictionaries in metadata become JSON arrays and objects, with values as strings")
    func nestedMetadata() throws {
        let capture = Capture()
        capture.logger().info(
            "nested",
            metadata: [
                "list": ["a", "b\"", ["c", ["d": "e"]]],
                "map": ["z": "last", "a": "first", "inner": ["x": .stringConvertible(42)]],
                "count": .stringConvertible(7),
                "empty": [],
            ]
        )
        let object = try #require(try capture.objects().first)
        let list = try #require(object["list"] as? [Any])
        #expect(list.count == 3)
        #expect(list[1] as? String == "b\"")
        #expect(((list[2] as? [Any])?[1] as? [String: Any])?["d"] as? String == "e")
        let map = try #require(object["map"] as? [String: Any])
        #expect(map["a"] as? String == "first")
        #expect((map["inner"] as? [String: Any])?["x"] as? String == "42")
        #expect(object["count"] as? String == "7")
        #expect((object["empty"] as? [Any])?.isEmpty == true)
        #expect(capture.written[0].contains(#""map":{"a":"first","inner":{"x":"42"},"z":"last"}"#))
    }

    @Test("metadata of the handler, of the provider and of the call merge, the call's winning, in sorted key order")
    func metadataMerging() throws {
        let capture = Capture()
        let provider = Logger.MetadataProvider { ["trace.id": "t-9", "shared": "from provider"] }
        var logger = capture.logger(metadataProvider: provider)
        logger[metadataKey: "session.id"] = "s-1"
        logger[metadataKey: "shared"] = "from handler"
        logger.info("merged", metadata: ["shared": "from call", "agent.id": "a"])
        let object = try #require(try capture.objects().first)
        #expect(object["session.id"] as? String == "s-1")
        #expect(object["trace.id"] as? String == "t-9")
        #expect(object["shared"] as? String == "from call")
        let line = capture.written[0]
        let order = ["agent.id", "session.id", "shared", "trace.id"].compactMap { line.range(of: "\"\($0)\"")?.lowerBound }
        #expect(order.count == 4 && order == order.sorted())
    }

    @Test("metadata named like a fixed key is renamed with an underscore, so no key repeats")
    func reservedKeys() throws {
        let capture = Capture()
        capture.logger().info("the real message", metadata: ["message": "spoof", "time": "then", "level": "x", "label": "y"])
        let line = capture.written[0]
        #expect(line.components(separatedBy: #""message":"#).count == 2)
        let object = try #require(try capture.objects().first)
        #expect(object["message"] as? String == "the real message")
        #expect(object["_message"] as? String == "spoof")
        #expect(object["_time"] as? String == "then")
        #expect(object["level"] as? String == "info")
    }

    @Test("a logged error adds its message and type")
    func errorFields() throws {
        struct Broken: Error, CustomStringConvertible {
            var description: String { "disk \"full\"" }
        }
        let capture = Capture()
        let handler = JSONLogHandler(label: "x") { line in capture.lines.withLock { $0.append(line) } }
        handler.log(
            event: LogEvent(
                level: .error,
                message: "failed",
                error: Broken(),
                metadata: nil,
                source: nil,
                file: #fileID,
                function: #function,
                line: #line
            )
        )
        let object = try #require(try capture.objects().first)
        #expect(object["error.message"] as? String == "disk \"full\"")
        #expect((object["error.type"] as? String)?.hasSuffix("Broken") == true)
    }

    @Test("entries below the handler's level are not written")
    func levelFilters() throws {
        let capture = Capture()
        let logger = capture.logger(level: .notice)
        logger.info("dropped")
        logger.debug("dropped")
        logger.warning("kept")
        #expect(try capture.objects().map { $0["message"] as? String } == ["kept"])
    }

    @Test("many threads logging at once each get whole lines")
    func concurrentLines() async throws {
        let capture = Capture()
        let logger = capture.logger()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<200 { logger.info("line", metadata: ["worker": "\(worker)", "index": "\(index)"]) }
                }
            }
        }
        let objects = try capture.objects()
        #expect(objects.count == 800)
        #expect(Set(objects.compactMap { "\($0["worker"] ?? "")/\($0["index"] ?? "")" }).count == 800)
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
