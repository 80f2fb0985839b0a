import Testing
import WardenJSON
import WardenSchema

struct JSONSchemaTests {
    @Test("a schema compiles from a JSON value")
    func compiles() {
        _ = JSONSchema(compiling: ["type": "object"])
    }
}
