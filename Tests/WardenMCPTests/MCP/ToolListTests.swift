import Testing
import WardenJSON
import WardenMCP

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
