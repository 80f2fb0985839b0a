import Testing
import WardenJSON
import WardenSchema

/// Violations read as the denial a person sees: the argument path, then the keyword broken in plain words.
struct ViolationMessageTests {
    @Test("each keyword's violation reads in plain words")
    func keywordMessages() throws {
        let schema = try compile(
            """
            {"type":"object","required":["path"],"additionalProperties":false,"properties":{
              "path":{"type":"string"},"amount":{"type":"number"},"mode":{"enum":["a","b"]},"uri":{"pattern":"^s3://"},
              "count":{"type":"integer","minimum":1,"maximum":10},"ratio":{"exclusiveMinimum":0,"exclusiveMaximum":1},
              "step":{"multipleOf":0.5},"name":{"minLength":2,"maxLength":4},"tags":{"minItems":1,"maxItems":2,"uniqueItems":true},
              "kind":{"const":"file"},"when":{"format":"date-time"}}}
            """,
            strictFormats: true
        )
        let expectations: [(String, String)] = [
            (#"{"path":"p","amount":"12"}"#, "argument amount: expected number, got string"),
            (#"{}"#, "arguments: missing required property `path`"),
            (#"{"path":"p","mode":"c"}"#, "argument mode: must be one of: a, b"),
            (#"{"path":"p","uri":"https://x"}"#, "argument uri: does not match pattern ^s3://"),
            (#"{"path":"p","count":0}"#, "argument count: must be at least 1"),
            (#"{"path":"p","count":11}"#, "argument count: must be at most 10"),
            (#"{"path":"p","count":2.5}"#, "argument count: expected integer, got number"),
            (#"{"path":"p","ratio":0}"#, "argument ratio: must be greater than 0"),
            (#"{"path":"p","ratio":1}"#, "argument ratio: must be less than 1"),
            (#"{"path":"p","step":0.3}"#, "argument step: must be a multiple of 0.5"),
            (#"{"path":"p","name":"x"}"#, "argument name: must be at least 2 characters long"),
            (#"{"path":"p","name":"xxxxx"}"#, "argument name: must be at most 4 characters long"),
            (#"{"path":"p","tags":[]}"#, "argument tags: must have at least 1 item"),
            (#"{"path":"p","tags":[1,2,3]}"#, "argument tags: must have at most 2 items"),
            (#"{"path":"p","tags":[1,1.0]}"#, "argument tags: must not contain duplicates: items 0 and 1 are equal"),
            (#"{"path":"p","kind":"dir"}"#, "argument kind: must be equal to file"),
            (#"{"path":"p","when":"yesterday"}"#, "argument when: is not a valid date-time"),
            (#"{"path":"p","x":1}"#, "arguments: unexpected property `x`"),
        ]
        for (instance, expected) in expectations {
            #expect(try descriptions(schema, instance) == [expected], "\(instance)")
        }
    }

    @Test("nested paths name properties and array indexes: items[2].name")
    func nestedPaths() throws {
        let schema = try compile(#"{"properties":{"items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}}}}"#)
        let violations = schema.validate(try JSONParser.parse(#"{"items":[{"name":"a"},{},{"name":7}]}"#))
        #expect(violations.map(\.description) == ["argument items[2].name: expected string, got number"])
        #expect(violations.first?.path == ["items", "2", "name"])
        #expect(violations.first?.keyword == "type")
    }

    @Test("a key that could forge a path or a line is quoted")
    func oddKeys() throws {
        let schema = try compile(#"{"additionalProperties":{"type":"integer"}}"#)
        #expect(try descriptions(schema, #"{"a\nb":"x"}"#) == [#"argument ["a\u{a}b"]: expected integer, got string"#])
        #expect(try descriptions(schema, #"{"a.b":"x"}"#) == [#"argument ["a.b"]: expected integer, got string"#])
        #expect(try descriptions(schema, #"{"2":"x"}"#) == [#"argument ["2"]: expected integer, got string"#])
    }

    @Test("an optional value written as anyOf with null explains the branch of the right type")
    func optionalAnyOf() throws {
        let schema = try compile(#"{"properties":{"limit":{"anyOf":[{"type":"integer","minimum":1},{"type":"null"}]}}}"#)
        #expect(try descriptions(schema, #"{"limit":0}"#) == ["argument limit: must be at least 1"])
        #expect(try descriptions(schema, #"{"limit":"5"}"#) == ["argument limit: expected integer or null, got string"])
        #expect(try descriptions(schema, #"{"limit":null}"#).isEmpty)
    }

    @Test("oneOf says whether no schema or more than one matched")
    func oneOfMessages() throws {
        let schema = try compile(#"{"oneOf":[{"type":"integer"},{"minimum":2}]}"#)
        #expect(try descriptions(schema, "3") == ["arguments: must match exactly one of the `oneOf` schemas, but matches schemas 0 and 1"])
        let either = try compile(#"{"oneOf":[{"required":["a"]},{"required":["b"]}]}"#)
        #expect(try descriptions(either, "{}") == ["arguments: must match exactly one of the `oneOf` schemas"])
        let negated = try compile(#"{"properties":{"mode":{"not":{"const":"delete"}}}}"#)
        #expect(try descriptions(negated, #"{"mode":"delete"}"#) == ["argument mode: must not match the schema in `not`"])
    }

    @Test("dependencies, property names and contains read in plain words")
    func objectAndArrayExtras() throws {
        let schema = try compile(
            #"{"dependentRequired":{"to":["subject"]},"propertyNames":{"pattern":"^[a-z]+$"},"properties":{"ids":{"contains":{"const":0},"maxContains":1}}}"#
        )
        #expect(try descriptions(schema, #"{"to":"x"}"#) == ["arguments: missing property `subject`, required when `to` is present"])
        #expect(try descriptions(schema, #"{"Bad":1}"#) == ["arguments: property name `Bad` is not allowed"])
        #expect(try descriptions(schema, #"{"ids":[1]}"#) == ["argument ids: must contain at least 1 item matching `contains`"])
        #expect(try descriptions(schema, #"{"ids":[0,0]}"#) == ["argument ids: must contain at most 1 item matching `contains`"])
    }

    @Test("several violations are reported in document order")
    func severalViolations() throws {
        let schema = try compile(#"{"required":["a","b"],"properties":{"c":{"type":"string"}},"additionalProperties":false}"#)
        #expect(
            try descriptions(schema, #"{"c":1,"d":2}"#) == [
                "arguments: missing required property `a`", "arguments: missing required property `b`", "argument c: expected string, got number",
                "arguments: unexpected property `d`",
            ]
        )
    }
}
