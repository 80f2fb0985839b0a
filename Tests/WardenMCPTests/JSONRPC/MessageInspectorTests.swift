import WardenTesting
import NIOCore
import Testing
import WardenJSON
import WardenMCP

struct MessageInspectorTests {
    static func inspect(_ text: String) -> Result<MessageEnvelope, MessageProblem> {
        MessageInspector.inspect(ByteBuffer(string: text))
    }

    static func slice(_ text: String, _ range: Range<Int>?) -> String? {
        range.map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) }
    }

    @Test("classifies a request and finds its method, id and params")
    func request() throws {
        let text = #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x","arguments":{"a":[1,2]}},"extra":true}"#
        let envelope = try Self.inspect(text).get()
        #expect(envelope.kind == .request)
        #expect(envelope.method == "tools/call")
        #expect(envelope.id?.raw == "7")
        #expect(Self.slice(text, envelope.params) == #"{"name":"x","arguments":{"a":[1,2]}}"#)
        #expect(envelope.result == nil && envelope.error == nil)
    }

    @Test("classifies notifications, responses and error responses")
    func otherKinds() throws {
        let notification = try Self.inspect(#"{"method":"notifications/initialized","jsonrpc":"2.0"}"#).get()
        #expect(notification.kind == .notification && notification.id == nil && notification.method == "notifications/initialized")

        let responseText = #" {"jsonrpc":"2.0", "id":"a-1", "result": {"tools":[]} } "#
        let response = try Self.inspect(responseText).get()
        #expect(response.kind == .response && response.id?.raw == #""a-1""#)
        #expect(Self.slice(responseText, response.result) == #"{"tools":[]}"#)

        let errorText = #"{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Unknown tool: x"}}"#
        let error = try Self.inspect(errorText).get()
        #expect(error.kind == .errorResponse && error.id?.raw == "3")
        #expect(Self.slice(errorText, error.error) == #"{"code":-32602,"message":"Unknown tool: x"}"#)

        let anonymous = try Self.inspect(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#).get()
        #expect(anonymous.kind == .errorResponse && anonymous.id == nil)
        #expect(try Self.inspect(#"{"jsonrpc":"2.0","error":{"code":-32700,"message":"x"}}"#).get().kind == .errorResponse)
    }

    @Test(
        "accepts string and integer ids, keeping their exact text",
        arguments: [
            (#""abc""#, JSONValue.string("abc")), (#""a\u0062c""#, "abc"), (#""""#, ""), ("0", 0), ("-12", -12),
            ("9007199254740991", 9_007_199_254_740_991), ("-9007199254740991", -9_007_199_254_740_991), ("-0", 0),
            (#""\uD83D\uDE00""#, "\u{1F600}"),
        ]
    )
    func acceptsIDs(raw: String, value: JSONValue) throws {
        let envelope = try Self.inspect(#"{"jsonrpc":"2.0","id":\#(raw),"method":"ping"}"#).get()
        #expect(envelope.id?.raw == raw)
        #expect(envelope.id?.value == value)
    }

    @Test(
        "refuses ids that are not strings or integers, without echoing them",
        arguments: [
            "true", "false", "1.5", "-0.25", "1e999", "[1]", #"{"a":1}"#, "1e-5", "1.0", "1e2", "10E-1", "-0.0",
            "9007199254740992", "-9007199254740992", "9999999999999999", "123456789012345678901234567890", #""\uD800""#,
            #""a\uDC00b""#,
        ]
    )
    func refusesIDs(raw: String) {
        let result = Self.inspect(#"{"jsonrpc":"2.0","id":\#(raw),"method":"ping"}"#)
        guard case .failure(.invalidRequest(let message, let id)) = result else {
            Issue.record("expected invalidRequest, got \(result)")
            return
        }
        #expect(id == nil)
        #expect(message.contains("`id`"))
    }

    @Test("refuses a request with a null id, and a result without an id")
    func refusesMissingIDs() {
        #expect(InspectionOracle.outcome(of: Self.inspect(#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#)) == .invalidRequest(id: nil))
        #expect(InspectionOracle.outcome(of: Self.inspect(#"{"jsonrpc":"2.0","result":{}}"#)) == .invalidRequest(id: nil))
    }

    @Test(
        "refuses a missing or wrong jsonrpc member, answering to the id",
        arguments: [
            #"{"id":5,"method":"ping"}"#, #"{"jsonrpc":"1.0","id":5,"method":"ping"}"#, #"{"jsonrpc":2.0,"id":5,"method":"ping"}"#,
            #"{"jsonrpc":null,"id":5,"method":"ping"}"#, #"{"jsonrpc":"2.0 ","id":5,"method":"ping"}"#,
        ]
    )
    func refusesWrongVersion(text: String) {
        #expect(InspectionOracle.outcome(of: Self.inspect(text)) == .invalidRequest(id: 5))
    }

    @Test(
        "refuses malformed shapes, answering to the id when there is one",
        arguments: [
            (#"{"jsonrpc":"2.0","id":1,"method":5}"#, true),
            (#"{"jsonrpc":"2.0","id":1,"method":"x","result":{}}"#, true),
            (#"{"jsonrpc":"2.0","id":1,"result":{},"error":{}}"#, true),
            (#"{"jsonrpc":"2.0","id":1,"error":"bad"}"#, true),
            (#"{"jsonrpc":"2.0","id":1}"#, true),
            (#"{"jsonrpc":"2.0","id":1,"method":"x","params":"p"}"#, true),
            (#"{"jsonrpc":"2.0","id":1,"params":{}}"#, true),
            (#"{"jsonrpc":"2.0"}"#, false),
            (#"{}"#, false),
            (#""just a string""#, false),
            ("42", false),
            ("null", false),
        ]
    )
    func refusesShapes(text: String, hasID: Bool) {
        let outcome = InspectionOracle.outcome(of: Self.inspect(text))
        #expect(outcome == .invalidRequest(id: hasID ? 1 : nil))
    }

    @Test("reports a top-level array as a batch", arguments: ["[]", #"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, " [1] "])
    func batches(text: String) {
        #expect(Self.inspect(text) == .failure(.batch))
    }

    @Test(
        "reports malformed JSON as a parse error",
        arguments: [
            "", "{", #"{"jsonrpc":"2.0","id":1,"method":"ping"}x"#, #"{"jsonrpc":"2.0","id":1,"method":"ping",}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"ping" // c"#, "{'a':1}", #"{"a":NaN}"#,
        ]
    )
    func parseErrors(text: String) {
        guard case .failure(.parseError(let message)) = Self.inspect(text) else {
            Issue.record("expected a parse error")
            return
        }
        #expect(message.hasPrefix("byte "))
    }

    @Test("treats params: null as absent, and accepts params as an array")
    func paramsForms() throws {
        #expect(try Self.inspect(#"{"jsonrpc":"2.0","id":1,"method":"x","params":null}"#).get().params == nil)
        let text = #"{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}"#
        #expect(Self.slice(text, try Self.inspect(text).get().params) == "[1]")
    }

    @Test(
        "refuses a duplicate top-level key, compared as scalars after unescaping, answering to the id unless it is the id",
        arguments: [
            (#"{"jsonrpc":"2.0","id":1,"\u0069d":2,"method":"c"}"#, "id", nil as JSONValue?),
            (#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{},"id":2}"#, "id", nil),
            (#"{"jsonrpc":"2.0","id":1,"m\u0065thod":"b","method":"c"}"#, "method", 1),
            (#"{"jsonrpc":"2.0","id":5,"method":"x","x":1,"x":2}"#, "x", 5),
            (#"{"jsonrpc":"2.0","id":5,"method":"x","params":{},"params":null}"#, "params", 5),
            (#"{"jsonrpc":"2.0","jsonrpc":"2.0","id":"a","result":{}}"#, "jsonrpc", "a"),
            (#"{"jsonrpc":"2.0","id":1.5,"method":"x","x":1,"x":2}"#, "x", nil),
            (#"{"jsonrpc":"2.0","method":"x","\n":1,"\u000a":2}"#, "\\n", nil),
        ]
    )
    func refusesDuplicateKeys(text: String, key: String, id: JSONValue?) {
        guard case .failure(.invalidRequest(let message, let answeredID)) = Self.inspect(text) else {
            Issue.record("expected invalidRequest, got \(Self.inspect(text))")
            return
        }
        #expect(answeredID?.value == id)
        #expect(message.contains("duplicate key `\(key)`"), "\(message)")
    }

    @Test("reads escaped keys, and keeps canonically equivalent keys apart")
    func escapedAndEquivalentKeys() throws {
        let envelope = try Self.inspect(#"{"jsonrpc":"2.0","\u0069d":2,"m\u0065thod":"c","\u212Aey":1,"Key":2}"#).get()
        #expect(envelope.id?.raw == "2")
        #expect(envelope.method == "c")
    }

    @Test("refuses a method with a lone surrogate escape, which readers decode differently")
    func refusesLoneSurrogateMethod() {
        let result = Self.inspect(#"{"jsonrpc":"2.0","id":3,"method":"tools/call\uD800"}"#)
        guard case .failure(.invalidRequest(let message, let id)) = result else {
            Issue.record("expected invalidRequest, got \(result)")
            return
        }
        #expect(id?.raw == "3")
        #expect(message.contains("lone surrogate"))
    }

    @Test("reports ranges relative to a buffer's reader index")
    func bufferRanges() throws {
        var buffer = ByteBuffer(string: #"garbage{"jsonrpc":"2.0","id":1,"method":"m","params":{"k":1}}"#)
        buffer.moveReaderIndex(forwardBy: 7)
        let envelope = try MessageInspector.inspect(buffer).get()
        #expect(envelope.params.map { buffer.getString(at: buffer.readerIndex + $0.lowerBound, length: $0.count) } == #"{"k":1}"#)
    }

    @Test("survives hostile input: deep nesting, long numbers, invalid UTF-8, control bytes")
    func hostileInput() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(InspectionOracle.outcome(of: Self.inspect(deep)) == .parseError)
        let deepObject =
            #"{"jsonrpc":"2.0","id":1,"method":"m","params":"# + String(repeating: #"{"a":"#, count: 600) + "1"
            + String(repeating: "}", count: 601)
        #expect(InspectionOracle.outcome(of: Self.inspect(deepObject)) == .parseError)
        let longNumber = String(repeating: "9", count: 100_000)
        #expect(InspectionOracle.outcome(of: Self.inspect(#"{"jsonrpc":"2.0","id":\#(longNumber),"method":"m"}"#)) == .invalidRequest(id: nil))
        let manyKeys = "{" + (0..<5000).map { #""k\#($0)":0,"# }.joined() + #""jsonrpc":"2.0","id":1,"method":"m","k4999":1}"#
        #expect(InspectionOracle.outcome(of: Self.inspect(manyKeys)) == .invalidRequest(id: 1))
        let badUTF8: [UInt8] = Array(#"{"jsonrpc":"2.0","id":1,"method":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(InspectionOracle.outcome(of: MessageInspector.inspect(ByteBuffer(bytes: badUTF8))) == .parseError)
        let nul: [UInt8] = Array(#"{"jsonrpc":"2.0","id":1,"method":"a"#.utf8) + [0] + Array(#""}"#.utf8)
        #expect(InspectionOracle.outcome(of: MessageInspector.inspect(ByteBuffer(bytes: nul))) == .parseError)
    }

    @Test("agrees with a reference built on the parser, on generated and mutated messages", arguments: 0..<6)
    func agreesWithOracle(seed: UInt64) {
        var random = SplitMix(seed: 500 + seed)
        var seen: Set<String> = []
        for _ in 0..<2000 {
            var bytes = Self.randomMessage(using: &random)
            for _ in 0..<Int.random(in: 0...1, using: &random) { bytes = Self.mutate(bytes, using: &random) }
            let inspected = bytes.withUnsafeBytes { MessageInspector.inspect($0) }
            let expected = InspectionOracle.outcome(of: bytes)
            #expect(InspectionOracle.outcome(of: inspected) == expected, "\(String(decoding: bytes, as: UTF8.self))")
            if case .success(let envelope) = inspected {
                for range in [envelope.params, envelope.result, envelope.error].compactMap({ $0 }) {
                    #expect((try? JSONParser.parse(Array(bytes[range]), maxDepth: MessageInspector.maxDepth)) != nil)
                }
            }
            seen.insert(String(describing: expected).prefix { $0 != " " }.description)
        }
        // Every kind of outcome must come up for the comparison to mean anything.
        #expect(seen.isSuperset(of: ["request", "notification", "response", "errorResponse", "parseError", "invalidRequest", "batch"]), "\(seen)")
    }

    static func randomMessage(using random: inout SplitMix) -> [UInt8] {
        let ids = [#""a""#, "7", "-1", "1.5", "true", "null", "[]", "{}", #""\u0031""#, "1e2", "1.0", "9007199254740992", "-0"]
        let values = [#"{"k":[1,{"z":null}]}"#, "[]", "{}", "null", "1", #""s""#]
        var members: [String] = []
        if Int.random(in: 0..<8, using: &random) > 0 {
            members.append(#""jsonrpc":"# + [#""2.0""#, #""2.0""#, #""2.0""#, #""1.0""#, "2"].randomElement(using: &random)!)
        }
        if Bool.random(using: &random) { members.append(#""id":"# + ids.randomElement(using: &random)!) }
        if Int.random(in: 0..<3, using: &random) > 0 {
            members.append(#""method":"# + [#""tools/call""#, #""a\/b""#, "3"].randomElement(using: &random)!)
        }
        if Bool.random(using: &random) { members.append(#""params":"# + values.randomElement(using: &random)!) }
        if Int.random(in: 0..<3, using: &random) == 0 { members.append(#""result":"# + values.randomElement(using: &random)!) }
        if Int.random(in: 0..<4, using: &random) == 0 { members.append(#""error":"# + values.randomElement(using: &random)!) }
        if Int.random(in: 0..<4, using: &random) == 0 { members.append(#""other":"# + values.randomElement(using: &random)!) }
        if Int.random(in: 0..<6, using: &random) == 0, let repeated = members.randomElement(using: &random) {
            // The same key again, sometimes spelled with an escape.
            let escaped = #""\u00"# + String(repeated.utf8.dropFirst().first!, radix: 16) + repeated.dropFirst(2)
            members.append(Bool.random(using: &random) ? repeated : escaped)
        }
        members.shuffle(using: &random)
        var text = "{" + members.joined(separator: ",") + "}"
        if Int.random(in: 0..<20, using: &random) == 0 { text = "[" + text + "]" }
        return Array(text.utf8)
    }

    static func mutate(_ bytes: [UInt8], using random: inout SplitMix) -> [UInt8] {
        var bytes = bytes
        let interesting: [UInt8] = Array("{}[],:\"\\ 0-.e\n".utf8) + [0x00, 0x80, 0xFF]
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: bytes[position] = interesting.randomElement(using: &random)!
        case 1: bytes.insert(interesting.randomElement(using: &random)!, at: position)
        default: bytes.remove(at: position)
        }
        return bytes
    }
}
