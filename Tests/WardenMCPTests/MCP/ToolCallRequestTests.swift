import Testing
import WardenJSON
import WardenMCP

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

    @Test(
        "refuses params no server could act on",
        arguments: [
            JSONValue.null, [1], [:], ["name": 1], ["name": "t", "arguments": [1]], ["name": "t", "arguments": "a"],
        ]
    )
    func refusesBadParams(params: JSONValue) {
        #expect(throws: MessageProblem.self) { try ToolCallRequest(params: params) }
    }
}
