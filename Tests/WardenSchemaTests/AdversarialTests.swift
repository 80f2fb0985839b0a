import Testing
import WardenJSON
import WardenSchema

/// What an agent might send to slip arguments past a schema, or to make validation itself the attack.
struct AdversarialTests {
    let payment = """
        {"type":"object","properties":{"amount":{"type":"number","maximum":1000},"confirm":{"type":"boolean"}},
         "required":["amount"],"additionalProperties":false}
        """

    @Test("a number sent as a string is refused, however numeric it looks")
    func numberAsString() throws {
        let schema = try compile(payment)
        for text in [#"{"amount":"1200"}"#, #"{"amount":"12"}"#, #"{"amount":"1e2"}"#, #"{"amount":" 5"}"#] {
            let violations = schema.validate(try JSONParser.parse(text))
            #expect(violations.map(\.keyword) == ["type"], "\(text)")
            #expect(violations.first?.path == ["amount"])
        }
        #expect(try descriptions(schema, #"{"amount":999.5}"#).isEmpty)
    }

    @Test("the string \"true\" is not a boolean, nor is 1")
    func booleanAsString() throws {
        let schema = try compile(payment)
        #expect(try descriptions(schema, #"{"amount":1,"confirm":"true"}"#) == ["argument confirm: expected boolean, got string"])
        #expect(try descriptions(schema, #"{"amount":1,"confirm":1}"#) == ["argument confirm: expected boolean, got number"])
        #expect(try descriptions(schema, #"{"amount":1,"confirm":true}"#).isEmpty)
    }

    @Test("keys that differ only in Unicode normalization are different properties")
    func normalizationLookalikes() throws {
        // "café" precomposed (U+00E9) in the schema; the agent sends "cafe" + U+0301, which Swift's String == equates.
        let schema = try compile(#"{"properties":{"caf\u00e9":{"type":"integer"}},"required":["caf\u00e9"],"additionalProperties":false}"#)
        let decomposed = try descriptions(schema, #"{"cafe\u0301":"not checked as café"}"#)
        #expect(decomposed == ["arguments: missing required property `café`", "arguments: unexpected property `café`"])
        #expect(try descriptions(schema, #"{"caf\u00e9":3}"#).isEmpty)
        // The Kelvin sign K (U+212A) is not the letter K.
        let kelvin = try compile(#"{"properties":{"Key":{"const":"safe"}}}"#)
        #expect(try descriptions(kelvin, #"{"\u212Aey":"anything"}"#).isEmpty)
        #expect(try descriptions(kelvin, #"{"Key":"anything"}"#) == ["argument Key: must be equal to safe"])
    }

    @Test("a deeply nested instance stops at the depth limit instead of recursing without end")
    func deepInstance() throws {
        let schema = try compile(##"{"type":"object","additionalProperties":{"$ref":"#"}}"##)
        var value: JSONValue = [:]
        for _ in 0..<10_000 { value = .object(JSONObject([(key: "a", value: value)])) }
        let violations = schema.validate(value)
        #expect(violations.map(\.keyword) == ["depth"])
        #expect(violations.first?.message == "nested deeper than 64 levels")
        #expect(!schema.isValid(value))
        var shallow: JSONValue = [:]
        for _ in 0..<60 { shallow = .object(JSONObject([(key: "a", value: shallow)])) }
        #expect(schema.validate(shallow).isEmpty)
    }

    @Test("a huge array is checked in bounded time and refused as too complex")
    func hugeArray() throws {
        let schema = try compile(#"{"type":"array","items":{"type":"integer"},"uniqueItems":true}"#)
        let huge = JSONValue.array((0..<1_000_000).map { .number(JSONNumber($0)) })
        let clock = ContinuousClock()
        var violations: [SchemaViolation] = []
        let elapsed = clock.measure { violations = schema.validate(huge) }
        #expect(violations.map(\.keyword) == ["complexity"])
        #expect(violations.first?.message == "schema too complex: validation stopped after 200000 steps")
        #expect(elapsed < .seconds(5))
        let modest = JSONValue.array((0..<10_000).map { .number(JSONNumber($0)) })
        #expect(schema.validate(modest).isEmpty)
    }

    @Test("nested anyOf that would take 2^30 checks stops as too complex")
    func exponentialAnyOf() throws {
        var definitions: [String] = []
        for level in 0..<30 {
            definitions.append(##""d\##(level)":{"anyOf":[{"$ref":"#/$defs/d\##(level + 1)"},{"$ref":"#/$defs/d\##(level + 1)"}]}"##)
        }
        definitions.append(#""d30":{"type":"string"}"#)
        let schema = try compile(##"{"$defs":{\##(definitions.joined(separator: ","))},"$ref":"#/$defs/d0"}"##)
        let clock = ContinuousClock()
        var violations: [SchemaViolation] = []
        let elapsed = clock.measure { violations = schema.validate(1) }
        #expect(violations.last?.keyword == "complexity")
        #expect(elapsed < .seconds(5))
        #expect(schema.validate("fine").isEmpty)
    }

    @Test("references that loop without descending into the value are a compile error, not a hang")
    func referenceCycle() throws {
        let mutual = try compileError(##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##)
        #expect(mutual?.code == .referenceCycle)
        let selfReference = try compileError(##"{"$ref":"#"}"##)
        #expect(selfReference?.code == .referenceCycle)
        #expect(selfReference?.description == "inputSchema #: references from here lead back to # without descending into the value")
        let throughAnyOf = try compileError(##"{"anyOf":[{"type":"string"},{"$ref":"#"}]}"##)
        #expect(throughAnyOf?.code == .referenceCycle)
        // Recursion through a property descends into the value, so it is an ordinary recursive schema.
        #expect(try compileError(##"{"properties":{"child":{"$ref":"#"}}}"##) == nil)
    }

    @Test("a schema nested deeper than the limit, directly or through references, is a compile error")
    func deepSchema() throws {
        var text = #"{"type":"string"}"#
        for _ in 0..<20 { text = #"{"items":\#(text)}"# }
        #expect(throws: SchemaError.self) { try compile(text, limits: SchemaLimits(maxSchemaDepth: 16)) }
        #expect(try compile(text, limits: SchemaLimits(maxSchemaDepth: 24)).validate([]).isEmpty)
        // A chain of 200 references is shallow JSON but deep schema.
        let chain = (0..<200).map { ##""d\##($0)":{"items":{"$ref":"#/$defs/d\##($0 + 1)"}}"## } + [#""d200":{}"#]
        let error = try compileError(##"{"$defs":{\##(chain.joined(separator: ","))},"$ref":"#/$defs/d0"}"##)
        #expect(error?.code == .tooDeep)
        #expect(error?.message == "subschemas nest deeper than 128 levels")
    }

    @Test("argument values never appear in violation messages")
    func valuesAreRedacted() throws {
        let schema = try compile(#"{"properties":{"token":{"type":"integer","enum":[1,2]},"path":{"pattern":"^/tmp/","maxLength":5}}}"#)
        let text = try descriptions(schema, #"{"token":"sk-live-SECRET","path":"/etc/SECRET-shadow"}"#).joined(separator: "\n")
        #expect(!text.contains("SECRET"))
        #expect(text.contains("argument token: expected integer, got string"))
    }

    @Test("reporting stops after the violation limit")
    func violationLimit() throws {
        let schema = try compile(#"{"additionalProperties":false}"#)
        let many = JSONValue.object(JSONObject((0..<500).map { (key: "k\($0)", value: JSONValue.null) }))
        #expect(schema.validate(many).count == SchemaLimits.default.maxViolations)
    }
}
