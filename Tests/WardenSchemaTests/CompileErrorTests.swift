import Testing
import WardenJSON
import WardenSchema

/// Schemas Warden cannot use are refused with a message, so the caller falls back to the rules alone.
struct CompileErrorTests {
    @Test("a remote $ref is refused: Warden fetches no schemas")
    func remoteReference() throws {
        let error = try #require(try compileError(#"{"properties":{"a":{"$ref":"https://example.com/schema.json#/x"}}}"#))
        #expect(error.code == .remoteReference)
        #expect(error.location == "#/properties/a/$ref")
        #expect(
            error.description
                == "inputSchema #/properties/a/$ref: the $ref `https://example.com/schema.json#/x` points to another document; Warden fetches no remote schemas"
        )
        #expect(try compileError(#"{"$ref":"http://json-schema.org/draft-07/schema#"}"#)?.code == .remoteReference)
    }

    @Test("a relative document $ref and an embedded $id resource are unsupported")
    func unsupportedReferences() throws {
        let relative = try compileError(#"{"$ref":"definitions.json#/integer"}"#)
        #expect(relative?.code == .unsupportedReference)
        #expect(relative?.message == "the $ref `definitions.json#/integer` is relative to a document Warden does not have")
        let embedded = try compileError(##"{"$defs":{"x":{"$id":"http://example.com/x","type":"string"}},"$ref":"#/$defs/x"}"##)
        #expect(embedded?.code == .unsupportedReference)
    }

    @Test("a $ref to a missing place is refused, naming the reference")
    func missingReference() throws {
        let error = try compileError(##"{"properties":{"a":{"$ref":"#/$defs/nothing"}}}"##)
        #expect(error?.code == .missingReference)
        #expect(error?.description == "inputSchema #/properties/a/$ref: the $ref `#/$defs/nothing` points to nothing in this schema")
        #expect(try compileError(##"{"$ref":"#nowhere"}"##)?.code == .missingReference)
    }

    @Test("an unknown $schema draft is refused; the known ones compile")
    func unknownDraft() throws {
        let error = try compileError(#"{"$schema":"http://json-schema.org/draft-03/schema#","type":"object"}"#)
        #expect(error?.code == .unknownDraft)
        #expect(
            error?.message == "unknown $schema `http://json-schema.org/draft-03/schema#`; Warden validates drafts 04, 06, 07, 2019-09 and 2020-12"
        )
        for known in [
            "https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema",
            "https://json-schema.org/draft/2019-09/schema", "http://json-schema.org/draft-04/schema#",
        ] {
            #expect(try compileError(#"{"$schema":"\#(known)"}"#) == nil, "\(known)")
        }
    }

    @Test("a pattern that does not compile is a compile error, not a crash")
    func badPattern() throws {
        let error = try compileError(#"{"properties":{"name":{"type":"string","pattern":"^[a-z"}}}"#)
        #expect(error?.code == .badPattern)
        #expect(error?.description == "inputSchema #/properties/name/pattern: the pattern `^[a-z` is not a regular expression Warden can compile")
        let key = try compileError(#"{"patternProperties":{"(unclosed":{}}}"#)
        #expect(key?.code == .badPattern)
        #expect(key?.location == "#/patternProperties/(unclosed")
    }

    @Test("a keyword of the wrong form is refused with the keyword named")
    func badKeywords() throws {
        let misspelt = try compileError(#"{"properties":{"a":{"type":"strnig"}}}"#)
        #expect(misspelt?.code == .badKeyword)
        #expect(misspelt?.description == "inputSchema #/properties/a/type: `type` names an unknown type `strnig`")
        #expect(try compileError(#"{"minimum":"5"}"#)?.message == "`minimum` must be a number")
        #expect(try compileError(#"{"multipleOf":0}"#)?.message == "`multipleOf` must be greater than 0")
        #expect(try compileError(#"{"maxLength":-1}"#)?.message == "`maxLength` must be a non-negative integer")
        #expect(try compileError(#"{"anyOf":[]}"#)?.message == "`anyOf` must be a non-empty array of schemas")
        #expect(try compileError(#"{"properties":{"a":3}}"#)?.message == "a schema must be an object or a boolean")
    }

    @Test("unknown keywords and annotations are ignored")
    func unknownKeywords() throws {
        let schema = try compile(#"{"title":"t","description":"d","examples":[1],"x-vendor":{"type":"string"},"nullable":true,"default":"x","type":"integer"}"#)
        #expect(try descriptions(schema, "3").isEmpty)
    }
}
