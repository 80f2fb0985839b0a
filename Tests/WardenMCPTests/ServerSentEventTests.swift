import NIOCore
import Testing
import WardenMCP

struct ServerSentEventTests {
    @Test func encodedEventsParseBackToTheSameEvents() throws {
        let events = [
            ServerSentEvent(id: "s-1", event: "message", data: #"{"jsonrpc":"2.0","id":1,"result":{}}"#),
            ServerSentEvent(id: "s-2", event: "message", data: "line one\nline two"),
            ServerSentEvent(id: nil, event: nil, data: ""),
        ]
        var parser = SSEParser()
        var parsed: [ServerSentEvent] = []
        for event in events { parsed += try parser.feed(event.encoded()) }
        #expect(parsed.count == 3)
        #expect(parsed[0] == events[0])
        #expect(parsed[1].data == "line one\nline two")
        // An event without an id of its own carries the last id seen, as browsers report it.
        #expect(parsed[2].id == "s-2")
        #expect(parsed[2].data == "")
    }

    @Test func bytesSplitAnywhereGiveTheSameEvents() throws {
        let wire = Array("id: 7\r\ndata: {\"a\":1}\r\n\r\n: a comment\n\ndata: x\rdata: y\r\r".utf8)
        for split in 0...wire.count {
            var parser = SSEParser()
            let events = try parser.feed(wire[..<split]) + parser.feed(wire[split...])
            #expect(events.map(\.data) == [#"{"a":1}"#, "x\ny"], "split at \(split)")
            #expect(events.first?.id == "7")
        }
    }

    @Test func anEventWithoutDataOnlyMovesTheLastEventID() throws {
        var parser = SSEParser()
        let events = try parser.feed(Array("id: prime-1\ndata:\n\nid: prime-2\n\n".utf8))
        #expect(events.map(\.data) == [""])
        #expect(parser.lastEventID == "prime-2")
    }

    @Test func retryAndEventNamesAreRead() throws {
        var parser = SSEParser()
        let events = try parser.feed(Array("event: ping\nretry: 1500\ndata: hi\n\n".utf8))
        #expect(events == [ServerSentEvent(id: nil, event: "ping", data: "hi", retry: 1500)])
    }

    @Test func aLineLongerThanTheLimitIsRefused() {
        var parser = SSEParser(maxLineLength: 16)
        #expect(throws: SSEParser.LineTooLong.self) { try parser.feed(Array(("data: " + String(repeating: "x", count: 32)).utf8)) }
    }

    @Test func messageEventsSplitLineBreaksIntoDataLines() {
        let buffer = SSEEncoder.message(ByteBuffer(string: "a\r\nb\nc"), id: "e-1")
        #expect(String(buffer: buffer) == "id: e-1\nevent: message\ndata: a\ndata: b\ndata: c\n\n")
    }
}
