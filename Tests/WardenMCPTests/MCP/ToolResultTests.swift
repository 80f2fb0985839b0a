import Testing
import WardenJSON
import WardenMCP

struct ToolResultTests {
    @Test("builds an isError result with text content and _meta")
    func errorResult() {
        let result = ToolResult.error(text: "denied by rule r1", meta: ["warden/decision": ["rule": "r1"]])
        #expect(
            result.encodedString
                == #"{"content":[{"type":"text","text":"denied by rule r1"}],"isError":true,"_meta":{"warden/decision":{"rule":"r1"}}}"#
        )
        #expect(ToolResult.error(text: "x", meta: [:])["_meta"] == nil)
        #expect(ToolResult.error(text: "x", meta: [:], revision: .v2026_07_28)["resultType"] == "complete")
        #expect(ToolResult.error(text: "x", meta: [:], revision: .v2025_11_25)["resultType"] == nil)
    }
}
