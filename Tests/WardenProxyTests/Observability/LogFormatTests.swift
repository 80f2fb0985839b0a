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
        #expect(text is StreamLogHandler)
        #expect(text.logLevel == .error)
    }
}
