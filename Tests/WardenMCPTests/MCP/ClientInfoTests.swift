import Testing
import WardenJSON
import WardenMCP

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
