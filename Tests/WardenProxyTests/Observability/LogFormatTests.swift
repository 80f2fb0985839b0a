import Foundation
import Logging
import Testing
import WardenProxy

@Suite("Log format choice")
struct LogFormatTests {
    @Test("text and json parse in any case; anything else does not")
    func parsing() {
        #expect(LogFormat("json") == .json)
        #expect(LogFormat("JSON") == .json)
        #expect(LogFormat("text") == .text)
        #expect(LogFormat("yaml") == nil)
        #expect(LogFormat("") == nil)
        #expect(LogFormat.all.map(\.description) == ["text", "json"])
    }

    @Test("the handler for each format is the one it names, at the level asked for")
    func handlers() {
        let json = LogFormat.makeHandler(label: "a", format: .json, level: .debug)
        let text = LogFormat.makeHandler(label: "a", format: .text, level: .error)
        #expect(json is JSONLogHandler)
        #expect(json.logLevel == .debug)
        #expect(text is DeferredMetadataLogHandler<StreamLogHandler>)
        #expect(text.logLevel == .error)
    }

    @Test("metadata set on the logger reaches the line written, and a line's own metadata wins over it")
    func deferredMetadata() {
        let recorder = EventRecorder()
        var logger = Logger(label: "t") { _ in DeferredMetadataLogHandler(RecordingHandler(recorder: recorder)) }
        logger.logLevel = .info
        logger[metadataKey: "request.id"] = "r1"
        logger[metadataKey: "server.name"] = "demo"
        #expect(logger[metadataKey: "request.id"] == "r1")
        logger.info("first")
        logger.debug("below the level: not written")
        logger.info("second", metadata: ["request.id": "r2", "extra": "x"])
        logger[metadataKey: "server.name"] = nil
        logger.info("third")
        let events = recorder.events
        #expect(events.map(\.message.description) == ["first", "second", "third"])
        #expect(events[0].metadata == ["request.id": "r1", "server.name": "demo"])
        #expect(events[1].metadata == ["request.id": "r2", "server.name": "demo", "extra": "x"])
        #expect(events[2].metadata == ["request.id": "r1"])
    }
}

private final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LogEvent] = []
    var events: [LogEvent] { lock.withLock { stored } }
    func append(_ event: LogEvent) { lock.withLock { stored.append(event) } }
}

/// A handler that keeps what it is given, so a test can see which metadata came with each line.
private struct RecordingHandler: LogHandler {
    let recorder: EventRecorder
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        recorder.append(event)
    }
}
