import Logging
import NIOCore
import Testing
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenProxy
import WardenStore

@Suite("The session interceptor")
struct SessionInterceptorTests {
    @Test("an allowed tools/call goes to the server with its bytes unchanged")
    func allowedCallPassesThroughUnchanged() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let line = #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"start_export_job","arguments":{"destination_uri":"s3://approved/x"},"x-unknown":[1, 2.50]}}"#
        let out = harness.fromClient(line)
        #expect(out.count == 1)
        #expect(out[0].destination == .server)
        #expect(out[0].isOriginal)
        #expect(out[0].bytes == line)
    }

    @Test("a denied call is answered by Warden as a tool error with the reason, rule and _meta, and never reaches the server")
    func deniedCallIsAnsweredWithReason() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let out = harness.fromClient(
            #"{"jsonrpc":"2.0","id":"call-9","method":"tools/call","params":{"name":"start_export_job","arguments":{"destination_uri":"s3://evil/x"}}}"#
        )
        #expect(out.count == 1)
        #expect(out[0].destination == .client)
        let message = out[0].json
        #expect(message["id"] == "call-9")
        #expect(message["result"]?["isError"] == true)
        let text = message["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue
        #expect(text == #"Denied by policy: Export destination must be the approved bucket (rule "exports go to the approved bucket only")"#)
        let decision = message["result"]?["_meta"]?["warden/decision"]
        #expect(decision?["action"] == "deny")
        #expect(decision?["rule"] == "exports go to the approved bucket only")
        #expect(decision?["reason"] == "Export destination must be the approved bucket")
        #expect(message["result"]?["structuredContent"] == nil)
    }

    @Test("leaving a checked argument out is denied, not waved through")
    func missingArgumentIsDenied() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let out = harness.fromClient(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"start_export_job","arguments":{}}}"#)
        #expect(out.first?.destination == .client)
        #expect(out.first?.json["result"]?["isError"] == true)
        let noArguments = harness.fromClient(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"start_export_job"}}"#)
        #expect(noArguments.first?.destination == .client)
    }

    @Test("a hidden tool gets the unknown-tool error, -32602")
    func hiddenToolIsUnknown() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        for (id, tool) in [(1, "delete_record"), (2, "admin_reset")] {
            let out = harness.fromClient(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":{}}}"#)
            #expect(out.count == 1)
            #expect(out[0].destination == .client)
            #expect(out[0].json["error"]?["code"] == -32602)
            #expect(out[0].json["id"] == .number(JSONNumber(id)))
        }
    }

    @Test("hidden tools are removed from tools/list and every other member of the answer is kept")
    func toolsListIsFiltered() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let request = harness.fromClient(#"{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"cursor":"p2"}}"#)
        #expect(request.first?.isOriginal == true)
        let answer = harness.fromServer(
            #"{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"read_record","inputSchema":{"type":"object","properties":{"n":{"maximum":1e400}}}},{"name":"delete_record"},{"name":"admin_reset"}],"nextCursor":"p3","ttlMs":5000,"cacheScope":"shared"},"x-extra":true}"#
        )
        #expect(answer.count == 1)
        let text = answer[0].bytes
        #expect(text.contains(#""x-extra":true"#))
        #expect(text.contains("1e400"))
        let result = answer[0].json["result"]
        #expect(result?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["read_record"])
        #expect(result?["nextCursor"] == "p3")
        #expect(result?["ttlMs"] == 5000)
        // Narrowed, never widened: a filtered list is not the server's list, so no shared cache may hold it.
        #expect(result?["cacheScope"] == "private")
    }

    @Test("a tools/list answer with nothing hidden passes through as the original bytes")
    func unfilteredListIsOriginal() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        _ = harness.fromClient(#"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#)
        let line = #"{"jsonrpc":"2.0","id":4,"result":{"tools":[{"name":"read_record"}]}}"#
        let answer = harness.fromServer(line)
        #expect(answer.first?.isOriginal == true)
        #expect(answer.first?.bytes == line)
    }

    @Test("notifications, server requests and unknown methods pass through byte for byte")
    func otherMessagesPassThrough() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let clientLines = [
            #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"user"}}"#,
            #"{"jsonrpc":"2.0","id":"x","method":"vendor/unknown-method","params":{"deep":{"a":[1,{"b":null}]}}}"#,
            #"{"jsonrpc":"2.0","id":99,"result":{"action":"accept","content":{"ok":true}}}"#,
        ]
        for line in clientLines {
            let out = harness.fromClient(line)
            #expect(out.count == 1)
            #expect(out[0].destination == .server)
            #expect(out[0].bytes == line)
        }
        let serverLines = [
            #"{"jsonrpc":"2.0","id":99,"method":"elicitation/create","params":{"message":"Sure?","requestedSchema":{"type":"object"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1,"total":3}}"#,
        ]
        for line in serverLines {
            let out = harness.fromServer(line)
            #expect(out.count == 1)
            #expect(out[0].destination == .client)
            #expect(out[0].bytes == line)
        }
    }

    @Test("malformed JSON gets -32700 and a non-request gets -32600, and the session goes on")
    func malformedInputIsAnswered() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let parse = harness.fromClient(#"{"jsonrpc":"2.0","id":1,"method":"tools/call""#)
        #expect(parse.first?.json["error"]?["code"] == -32700)
        #expect(parse.first?.json["id"] == .null)
        let invalid = harness.fromClient(#"{"jsonrpc":"1.0","id":5,"method":"tools/list"}"#)
        #expect(invalid.first?.json["error"]?["code"] == -32600)
        let batch = harness.fromClient(#"[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_record"}}]"#)
        #expect(batch.first?.json["error"]?["code"] == -32600)
        #expect(batch.first?.destination == .client)
        let after = harness.fromClient(#"{"jsonrpc":"2.0","id":6,"method":"ping"}"#)
        #expect(after.first?.destination == .server)
    }

    @Test("a tools/call without a tool name is refused with invalid params instead of being forwarded")
    func toolCallWithoutNameIsRefused() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let out = harness.fromClient(#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"arguments":{}}}"#)
        #expect(out.first?.destination == .client)
        #expect(out.first?.json["error"]?["code"] == -32602)
    }

    @Test("an oversized request is refused with its id when the id can be read")
    func oversizedRequestIsRefusedWithID() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        var deliveries: [Delivery] = []
        let head = ByteBuffer(string: #"{"jsonrpc":"2.0","id":"big-1","method":"tools/call","params":{"name":"echo","arguments":{"text":"aaaa"#)
        harness.interceptor.receiveFromClient(.oversized(byteCount: 9_000_000, head: head), into: &deliveries)
        #expect(deliveries.count == 1)
        #expect(deliveries[0].destination == .client)
        #expect(deliveries[0].json["id"] == "big-1")
        #expect(deliveries[0].json["error"]?["code"] == -32600)
    }

    @Test("requests the server never answers fail with an error when it goes away")
    func deadUpstreamFailsInflight() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        _ = harness.fromClient(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_record","arguments":{}}}"#)
        _ = harness.fromClient(#"{"jsonrpc":"2.0","id":2,"method":"resources/list"}"#)
        _ = harness.fromServer(#"{"jsonrpc":"2.0","id":2,"result":{"resources":[]}}"#)
        #expect(harness.interceptor.inflightCount == 1)
        var deliveries: [Delivery] = []
        harness.interceptor.upstreamClosed(into: &deliveries)
        #expect(deliveries.count == 1)
        #expect(deliveries[0].json["id"] == 1)
        #expect(deliveries[0].json["error"]?["code"] == -32603)
        #expect(harness.interceptor.inflightCount == 0)
    }

    @Test("client.name comes from initialize, or from _meta on a stateless request")
    func clientNameFeedsPolicy() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let charge = #"{"jsonrpc":"2.0","id":%ID%,"method":"tools/call","params":{"name":"create_charge","arguments":{"amount":5}%META%}}"#
        let before = harness.fromClient(charge.replacingOccurrences(of: "%ID%", with: "1").replacingOccurrences(of: "%META%", with: ""))
        #expect(before.first?.destination == .client)
        _ = harness.fromClient(
            #"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"desktop","version":"1"}}}"#
        )
        let after = harness.fromClient(charge.replacingOccurrences(of: "%ID%", with: "3").replacingOccurrences(of: "%META%", with: ""))
        #expect(after.first?.destination == .server)
    }

    @Test("a stateless 2026-07-28 request names its client in _meta, and that name is what policy sees")
    func statelessClientNameFromMeta() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        func charge(id: Int, client: String) -> String {
            #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"create_charge","arguments":{"amount":5},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"\#(client)","version":"2"},"io.modelcontextprotocol/clientCapabilities":{}}}}"#
        }
        let fromDesktop = harness.fromClient(charge(id: 1, client: "desktop"))
        #expect(fromDesktop.first?.destination == .server)
        #expect(fromDesktop.first?.isOriginal == true)
        let fromOther = harness.fromClient(charge(id: 2, client: "browser"))
        #expect(fromOther.first?.destination == .client)
        #expect(fromOther.first?.json["result"]?["isError"] == true)
    }

    @Test("server/discover and its answer pass through untouched")
    func discoverPassesThrough() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let request = #"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}"#
        #expect(harness.fromClient(request).first?.bytes == request)
        let answer = #"{"jsonrpc":"2.0","id":1,"result":{"resultType":"complete","supportedVersions":["2026-07-28","2025-11-25"],"capabilities":{"tools":{}},"ttlMs":60000,"cacheScope":"public"}}"#
        let out = harness.fromServer(answer)
        #expect(out.first?.destination == .client)
        #expect(out.first?.bytes == answer)
    }

    @Test("a tools/list answer Warden cannot filter is refused with an error, never forwarded unfiltered")
    func unfilterableToolListIsRefused() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let answers = [
            #"{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"delete_record","inputSchema":{"type":"object"},"x":\#(deep)}]}}"#,
            #"{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"delete_record"}],"tools":[]}}"#,
            #"{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"delete_record"},{"name":"read_record"}],"tools":[]}}"#,
            #"{"jsonrpc":"2.0","id":1,"result":{"tools":{"name":"delete_record"}}}"#,
        ]
        for answer in answers {
            #expect(harness.fromClient(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#).first?.destination == .server)
            let out = harness.fromServer(answer)
            #expect(out.count == 1)
            #expect(out.first?.destination == .client)
            #expect(out.first?.json["error"]?["code"] == -32603)
            #expect(out.first?.bytes.contains("delete_record") == false)
            #expect(out.first?.json["result"] == nil)
        }
        // Deep, but within what Warden reads: filtered like any other list, never passed on as it came.
        let nested = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(harness.fromClient(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#).first?.destination == .server)
        let out = harness.fromServer(#"{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"delete_record","x":\#(nested)},{"name":"read_record"}]}}"#)
        #expect(out.first?.json["result"]?["tools"]?.arrayValue?.map { $0["name"] } == ["read_record"])
    }

    @Test("a tools/call with a duplicate key or a lone surrogate anywhere is refused, never judged on one reading and run on another")
    func ambiguousCallsAreRefused() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let lines = [
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"start_export_job","arguments":{"destination_uri":"s3://evil/x","destination_uri":"s3://approved/x"}}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"start_export_job","arguments":{"destination_uri":"s3://evil/x","destination\u005furi":"s3://approved/x"}}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"delete_record","name":"read_record","arguments":{}}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"read_record\ud800","arguments":{}}}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"read_record","arguments":{"opts":{"a":1,"a":2}}}}"#,
        ]
        for (index, line) in lines.enumerated() {
            let out = harness.fromClient(line)
            #expect(out.count == 1, "line \(index)")
            #expect(out.first?.destination == .client, "line \(index)")
            #expect(out.first?.json["error"]?["code"] == -32600, "line \(index)")
        }
        // Lookalike keys are different keys (compared as Unicode scalars): the rule reads the real one.
        let kelvin = harness.fromClient(
            #"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"start_export_job","arguments":{"destination_uri":"s3://evil/x","destination_\u212Aey":"s3://approved/x"}}}"#
        )
        #expect(kelvin.first?.destination == .client)
        #expect(kelvin.first?.json["result"]?["isError"] == true)
    }

    @Test("a raw CR inside a message is refused, so no reader that splits on it finds a hidden tools/call; U+2028 goes out escaped")
    func lineBreaksOnlyOneReaderSeesAreHandled() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        let hidden = #"{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"delete_record","arguments":{"id":"r-1"}}}"#
        let smuggled = #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"x":"# + "\r" + hidden + "\r" + "}}"
        let out = harness.fromClient(smuggled)
        #expect(out.count == 1)
        #expect(out.first?.destination == .client)
        #expect(out.first?.json["error"]?["code"] == -32600)
        // A CRLF line ending is fine.
        let crlf = harness.fromClient(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"# + "\r")
        #expect(crlf.first?.destination == .server)
        // A line separator inside a string is the same JSON escaped, and the call is judged on that value.
        let separated = harness.fromClient(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"start_export_job","arguments":{"destination_uri":"s3://approved/\#u{2028}x"}}}"#
        )
        #expect(separated.first?.destination == .server)
        #expect(separated.first?.bytes.contains("\u{2028}") == false)
        #expect(separated.first?.bytes.contains(#"s3://approved/\u2028x"#) == true)
    }

    @Test("numbers are judged as servers read them: a decimal as its double; an integer readers round differently is refused")
    func numbersAreJudgedAsServersReadThem() throws {
        let harness = try InterceptorHarness(
            policy: """
                version: 1
                rules:
                  - name: only the approved level
                    tool: configure
                    when:
                      args.level: {ne: 1234567890123456789}
                    action: deny
                """
        )
        func call(_ id: Int, _ level: String) -> [Delivery] {
            harness.fromClient(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"configure","arguments":{"level":\#(level)}}}"#)
        }
        // Python, Go and JavaScript all read this as 1234567890123456768: not the approved level.
        let rounded = call(1, "1.234567890123456789e18")
        #expect(rounded.first?.destination == .client)
        #expect(rounded.first?.json["result"]?["isError"] == true)
        // Python reads this integer exactly, JavaScript and Go round it: no rule can know the value.
        let ambiguous = call(2, "1234567890123456789")
        #expect(ambiguous.first?.destination == .client)
        #expect(ambiguous.first?.json["error"]?["code"] == -32600)
        // A double holds 2^64 exactly; every reader agrees, and the rule judges it.
        let exact = call(3, "18446744073709551616")
        #expect(exact.first?.json["result"]?["isError"] == true)
        #expect(call(4, "1e400").first?.json["error"]?["code"] == -32600)
    }

    @Test("an answer no request waits for is dropped, and a reused id in flight is refused without touching the first")
    func answersSettleOnlyTheirOwnCall() throws {
        let harness = try InterceptorHarness(policy: examplePolicy)
        #expect(harness.fromServer(#"{"jsonrpc":"2.0","id":5,"result":{"content":[]}}"#).isEmpty)
        let list = #"{"jsonrpc":"2.0","id":5,"method":"tools/list"}"#
        #expect(harness.fromClient(list).first?.destination == .server)
        let twin = harness.fromClient(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"read_record","arguments":{}}}"#)
        #expect(twin.count == 1)
        #expect(twin.first?.destination == .client)
        #expect(twin.first?.json["error"]?["code"] == -32600)
        // The first request is still the one the answer settles, and it is filtered as a tools/list.
        let out = harness.fromServer(#"{"jsonrpc":"2.0","id":5,"result":{"tools":[{"name":"delete_record"},{"name":"read_record"}]}}"#)
        #expect(out.first?.json["result"]?["tools"]?.arrayValue?.count == 1)
        // Once answered, the id is free again.
        #expect(harness.fromClient(list).first?.destination == .server)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
