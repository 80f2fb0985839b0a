import Testing
import WardenJSON
import WardenMCP

struct ProtocolRevisionTests {
    @Test("orders revisions by date and marks 2026-07-28 and later as stateless")
    func ordering() {
        #expect(ProtocolRevision.known == ProtocolRevision.known.sorted())
        #expect(ProtocolRevision.v2025_06_18 < .v2025_11_25)
        #expect(ProtocolRevision.known.filter(\.isStateless) == [.v2026_07_28])
        #expect(ProtocolRevision("2027-01-01").isStateless)
        #expect(ProtocolRevision("DRAFT-2026-v1").isStateless)
        #expect(!ProtocolRevision("2026-07-27").isStateless)
        #expect(ProtocolRevision.v2025_03_26.allowsBatches && !ProtocolRevision.v2025_06_18.allowsBatches)
    }
}

struct ClientInfoTests {
    @Test("reads name, version, revision and capabilities from initialize params")
    func fromInitialize() throws {
        let params = try JSONParser.parse(
            #"{"protocolVersion":"2025-06-18","capabilities":{"roots":{"listChanged":true}},"clientInfo":{"name":"claude-code","version":"1.2"}}"#
        )
        let info = ClientInfo.fromInitialize(params: params)
        #expect(info == ClientInfo(name: "claude-code", version: "1.2", revision: .v2025_06_18, capabilities: ["roots": ["listChanged": true]]))
        #expect(ClientInfo.fromInitialize(params: [:]) == ClientInfo())
        #expect(ClientInfo.fromInitialize(params: [1]) == nil)
    }

    @Test("reads a 2026-07-28 request's _meta keys")
    func fromRequestMeta() throws {
        let params = try JSONParser.parse(
            #"""
            {"name":"t","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
             "io.modelcontextprotocol/clientInfo":{"name":"ExampleClient","version":"1.0.0"},
             "io.modelcontextprotocol/clientCapabilities":{"elicitation":{}},"progressToken":"p"}}
            """#
        )
        let info = ClientInfo.fromRequestMeta(params: params)
        #expect(info == ClientInfo(name: "ExampleClient", version: "1.0.0", revision: .v2026_07_28, capabilities: ["elicitation": [:]]))
        #expect(info?.revision?.isStateless == true)
        #expect(ClientInfo.fromRequestMeta(params: ["_meta": ["progressToken": 1]]) == nil)
        #expect(ClientInfo.fromRequestMeta(params: ["name": "t"]) == nil)
        #expect(ClientInfo.fromRequestMeta(params: nil) == nil)
    }
}

struct ToolCallRequestTests {
    @Test("reads name, arguments, progress token and _meta")
    func readsParams() throws {
        let params = try JSONParser.parse(#"{"name":"build","arguments":{"city":"Micropolis"},"_meta":{"progressToken":"tok","x":1}}"#)
        let request = try ToolCallRequest(params: params)
        #expect(request.name == "build")
        #expect(request.arguments == ["city": "Micropolis"])
        #expect(request.progressToken == "tok")
        #expect(request.meta == ["progressToken": "tok", "x": 1])
    }

    @Test("treats missing or null arguments as none")
    func missingArguments() throws {
        #expect(try ToolCallRequest(params: ["name": "t"]).arguments == .null)
        #expect(try ToolCallRequest(params: ["name": "t", "arguments": nil]).arguments == .null)
        #expect(try ToolCallRequest(params: ["name": "t"]).meta == nil)
    }

    @Test("refuses params no server could act on", arguments: [
        JSONValue.null, [1], [:], ["name": 1], ["name": "t", "arguments": [1]], ["name": "t", "arguments": "a"],
    ])
    func refusesBadParams(params: JSONValue) {
        #expect(throws: MessageProblem.self) { try ToolCallRequest(params: params) }
    }
}

struct ToolResultTests {
    @Test("builds an isError result with text content and _meta")
    func errorResult() {
        let result = ToolResult.error(text: "denied by rule r1", meta: ["warden/decision": ["rule": "r1"]])
        #expect(result.encodedString == #"{"content":[{"type":"text","text":"denied by rule r1"}],"isError":true,"_meta":{"warden/decision":{"rule":"r1"}}}"#)
        #expect(ToolResult.error(text: "x", meta: [:])["_meta"] == nil)
        #expect(ToolResult.error(text: "x", meta: [:], revision: .v2026_07_28)["resultType"] == "complete")
        #expect(ToolResult.error(text: "x", meta: [:], revision: .v2025_11_25)["resultType"] == nil)
    }
}

struct ToolListTests {
    static let listed = #"""
        {"resultType":"complete","tools":[{"name":"read","inputSchema":{}},{"name":"delete","x":1},{"title":"nameless"},{"name":"write"}],
         "nextCursor":"c2","ttlMs":300000,"cacheScope":"public","_meta":{"k":"v"},"future":[1]}
        """#

    @Test("removes hidden tools and keeps every other member and tool as it was")
    func removesHidden() throws {
        let result = try JSONParser.parse(Self.listed)
        let filtered = ToolList.filter(result: result) { $0 == "delete" || $0 == "write" }
        #expect(filtered.removed == ["delete", "write"])
        guard case .object(let object) = filtered.result else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["resultType", "tools", "nextCursor", "ttlMs", "cacheScope", "_meta", "future"])
        #expect(object["tools"] == [["name": "read", "inputSchema": [:]], ["title": "nameless"]])
        #expect(object["nextCursor"] == "c2" && object["ttlMs"] == 300000 && object["_meta"] == ["k": "v"] && object["future"] == [1])
    }

    @Test("narrows a public cacheScope to private when it removed a tool, and never widens one")
    func narrowsCacheScope() throws {
        let result = try JSONParser.parse(Self.listed)
        #expect(ToolList.filter(result: result) { $0 == "read" }.result["cacheScope"] == "private")
        let unchanged = ToolList.filter(result: result) { _ in false }
        #expect(unchanged.result["cacheScope"] == "public" && unchanged.removed.isEmpty)
        let legacy = ToolList.filter(result: ["tools": [["name": "a"]]]) { _ in true }
        #expect(legacy.result == ["tools": []] && legacy.result["cacheScope"] == nil)
    }

    @Test("leaves results without a tools array alone")
    func leavesOddResultsAlone() {
        for result: JSONValue in [nil, [1], ["tools": "x"], [:]] {
            let filtered = ToolList.filter(result: result) { _ in true }
            #expect(filtered.result == result && filtered.removed.isEmpty)
        }
    }
}
