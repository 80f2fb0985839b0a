import Testing
import WardenJSON
import WardenSchema

/// A compiled schema is shared by every session calling the tool, so it must validate from many tasks at once.
struct ConcurrencyTests {
    @Test("one compiled schema gives the same verdicts from many tasks at once")
    func sharedSchema() async throws {
        let schema = try compile(#"{"properties":{"uri":{"type":"string","pattern":"^s3://[a-z0-9.-]+/(?=.)"}},"patternProperties":{"^x-":{"type":"integer"}}}"#)
        let good = try JSONParser.parse(#"{"uri":"s3://bucket/key","x-a":1}"#)
        let bad = try JSONParser.parse(#"{"uri":"s3://Bucket/key","x-a":"1"}"#)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for _ in 0..<500 {
                        if !schema.isValid(good) { wrong += 1 }
                        if schema.validate(bad).map(\.keyword) != ["pattern", "type"] { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
