import Testing
import WardenJSON
import WardenSchema

/// Cases from the official JSON-Schema-Test-Suite, run through both `validate` and `isValid`.
struct SuiteTests {
    @Test("every test-suite case gets the suite's verdict", arguments: SuiteCases.all)
    func suiteCase(_ suiteCase: SuiteCase) throws {
        try expectVerdict(suiteCase, strictFormats: false)
    }

    @Test("with strict formats, format cases get the suite's verdict", arguments: StrictFormatCases.all)
    func strictFormatCase(_ suiteCase: SuiteCase) throws {
        try expectVerdict(suiteCase, strictFormats: true)
    }

    @Test("the suite covers every keyword Warden validates with at least 150 cases")
    func coverage() {
        let keywords = Set((SuiteCases.all + StrictFormatCases.all).map(\.keyword))
        for keyword in [
            "type", "enum", "const", "boolean schema", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
            "maxLength", "pattern", "items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems", "properties", "required",
            "additionalProperties", "patternProperties", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf", "not", "if/then/else",
            "$ref", "date-time", "email", "uri", "propertyNames", "dependentRequired", "dependentSchemas",
            "dependencies (draft-07)", "contains", "minContains", "maxContains",
        ] {
            #expect(keywords.contains(keyword), "no suite case for \(keyword)")
        }
        #expect(SuiteCases.all.count + StrictFormatCases.all.count >= 150)
    }

    private func expectVerdict(_ suiteCase: SuiteCase, strictFormats: Bool) throws {
        let schema = try JSONSchema(compiling: JSONParser.parse(suiteCase.schema), strictFormats: strictFormats)
        let instance = try JSONParser.parse(suiteCase.instance)
        let violations = schema.validate(instance)
        #expect(violations.isEmpty == suiteCase.isValid, "\(suiteCase.instance) → \(violations.map(\.description))")
        #expect(schema.isValid(instance) == suiteCase.isValid)
    }
}
