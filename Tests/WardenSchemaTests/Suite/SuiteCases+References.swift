extension SuiteCases {
    static let references: [SuiteCase] =
        SuiteCase.group(
            "$ref",
            ##"{"properties":{"foo":{"$ref":"#"}},"additionalProperties":false}"##,
            [(##"{"foo":false}"##, true, "a reference to the root"), (##"{"foo":{"foo":false}}"##, true, "recursively"), (##"{"foo":{"bar":false}}"##, false, "a mismatch one level down")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"properties":{"foo":{"type":"integer"},"bar":{"$ref":"#/properties/foo"}}}"##,
            [(##"{"bar":3}"##, true, "a pointer to a sibling property"), (##"{"bar":true}"##, false, "its type applies")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"prefixItems":[{"type":"integer"},{"$ref":"#/prefixItems/0"}]}"##,
            [("[1,2]", true, "a pointer into an array"), (##"[1,"foo"]"##, false, "its type applies")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$defs":{"tilde~field":{"type":"integer"},"slash/field":{"type":"integer"},"percent%field":{"type":"integer"}},"properties":{"tilde":{"$ref":"#/$defs/tilde~0field"},"slash":{"$ref":"#/$defs/slash~1field"},"percent":{"$ref":"#/$defs/percent%25field"}}}"##,
            [
                (##"{"tilde":"aoeu"}"##, false, "~0 is a tilde"), (##"{"slash":"aoeu"}"##, false, "~1 is a slash"), (##"{"percent":"aoeu"}"##, false, "%25 is a percent sign"),
                (##"{"tilde":1,"slash":2,"percent":3}"##, true, "all three resolve"),
            ]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$defs":{"a":{"type":"integer"},"b":{"$ref":"#/$defs/a"},"c":{"$ref":"#/$defs/b"}},"$ref":"#/$defs/c"}"##,
            [("5", true, "a chain of references"), (##""a""##, false, "the end of the chain applies")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$defs":{"reffed":{"type":"array"}},"properties":{"foo":{"$ref":"#/$defs/reffed","maxItems":2}}}"##,
            [(##"{"foo":[]}"##, true, "2020-12: both the reference and its siblings hold"), (##"{"foo":[1,2,3]}"##, false, "the sibling maxItems applies")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"reffed":{"type":"array"}},"properties":{"foo":{"$ref":"#/definitions/reffed","maxItems":2}}}"##,
            [(##"{"foo":[1,2,3]}"##, true, "draft-07: siblings of $ref are ignored"), (##"{"foo":"string"}"##, false, "the reference still applies")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"properties":{"$ref":{"type":"string"}}}"##,
            [(##"{"$ref":"a"}"##, true, "a property named $ref is a property"), (##"{"$ref":2}"##, false, "and is checked as one")]
        )
        + SuiteCase.group("$ref", ##"{"$ref":"#/$defs/bool","$defs":{"bool":false}}"##, [(##""foo""##, false, "a reference to the false schema")])
        + SuiteCase.group(
            "$ref",
            ##"{"properties":{"foo\"bar":{"$ref":"#/$defs/foo%22bar"}},"$defs":{"foo\"bar":{"type":"number"}}}"##,
            [(##"{"foo\"bar":1}"##, true, "a %-escaped quote in the pointer"), (##"{"foo\"bar":"1"}"##, false, "the target applies")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$defs":{"a_string":{"type":"string"}},"enum":[{"$ref":"#/$defs/a_string"}]}"##,
            [(##""this is a string""##, false, "a $ref inside enum is data, not a reference"), (##"{"$ref":"#/$defs/a_string"}"##, true, "it matches itself")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$id":"urn:uuid:deadbeef-1234-0000-0000-4321feebdaed","properties":{"foo":{"$ref":"urn:uuid:deadbeef-1234-0000-0000-4321feebdaed#/$defs/bar"}},"$defs":{"bar":{"type":"string"}}}"##,
            [(##"{"foo":"bar"}"##, true, "a reference through the root's own $id"), (##"{"foo":12}"##, false, "resolves to the same document")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$defs":{"":{"$defs":{"":{"type":"number"}}}},"allOf":[{"$ref":"#/$defs//$defs/"}]}"##,
            [("1", true, "empty pointer tokens are names too"), (##""a""##, false, "and resolve")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$ref":"#bar","$defs":{"x":{"$anchor":"bar","type":"integer"}}}"##,
            [("1", true, "a reference to an $anchor"), (##""a""##, false, "applies its target")]
        )
        + SuiteCase.group(
            "$ref",
            ##"{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"node":{"type":"object","properties":{"value":{"type":"number"},"children":{"type":"array","items":{"$ref":"#/definitions/node"}}},"required":["value"]}},"$ref":"#/definitions/node"}"##,
            [
                (##"{"value":1,"children":[{"value":2,"children":[{"value":3}]}]}"##, true, "a recursive tree"),
                (##"{"value":1,"children":[{"value":2,"children":[{"value":"3"}]}]}"##, false, "a bad leaf deep in the tree"),
            ]
        )
}
