extension SuiteCases {
    static let items: [SuiteCase] =
        SuiteCase.group(
            "items",
            ##"{"items":{"type":"integer"}}"##,
            [
                ("[1,2,3]", true, "every element matches"), (##"[1,"x"]"##, false, "one element does not"),
                (##"{"foo":"bar"}"##, true, "an object is not checked"), (##"{"0":"invalid","length":1}"##, true, "a pseudo-array object is not an array"),
            ]
        )
        + SuiteCase.group("items", ##"{"items":false}"##, [("[1]", false, "false items admit no element"), ("[]", true, "but the empty array")])
        + SuiteCase.group(
            "items",
            ##"{"type":"array","items":{"type":"array","items":{"type":"array","items":{"type":"number"}}}}"##,
            [("[[[1]],[[2],[3]]]", true, "nested arrays of numbers"), (##"[[["1"]]]"##, false, "a string three levels down"), ("[[1]]", false, "not deep enough")]
        )
        + SuiteCase.group(
            "prefixItems",
            ##"{"prefixItems":[{"type":"integer"},{"type":"string"}]}"##,
            [(##"[1,"foo"]"##, true, "each position matches"), (##"["foo",1]"##, false, "positions swapped"), ("[1]", true, "a shorter array"), (##"[1,"foo",true]"##, true, "extra elements are free")]
        )
        + SuiteCase.group(
            "prefixItems",
            ##"{"prefixItems":[{"type":"string"}],"items":{"type":"integer"}}"##,
            [(##"["x",2,3]"##, true, "items starts after the prefix"), (##"["x","y"]"##, false, "the second element must be an integer")]
        )
        + SuiteCase.group(
            "prefixItems",
            ##"{"prefixItems":[{},{},{}],"items":false}"##,
            [("[1,2,3]", true, "exactly the prefix"), ("[1,2,3,4]", false, "no more elements after it")]
        )
        + SuiteCase.group(
            "items (draft-07 array form)",
            ##"{"$schema":"http://json-schema.org/draft-07/schema#","items":[{"type":"integer"},{"type":"string"}]}"##,
            [(##"[1,"foo"]"##, true, "the array form is a prefix"), (##"["foo",1]"##, false, "positions swapped"), (##"[1,"foo",true]"##, true, "extra elements are free")]
        )
        + SuiteCase.group(
            "additionalItems",
            ##"{"$schema":"http://json-schema.org/draft-07/schema#","items":[{}],"additionalItems":{"type":"integer"}}"##,
            [("[null,2,3,4]", true, "the rest are integers"), (##"[null,2,3,"foo"]"##, false, "one of the rest is not")]
        )
        + SuiteCase.group(
            "additionalItems",
            ##"{"$schema":"http://json-schema.org/draft-07/schema#","items":[{},{},{}],"additionalItems":false}"##,
            [("[1,2,3]", true, "exactly the tuple"), ("[1,2,3,4]", false, "one element too many")]
        )
        + SuiteCase.group(
            "additionalItems",
            ##"{"$schema":"http://json-schema.org/draft-07/schema#","items":{"type":"integer"},"additionalItems":{"type":"string"}}"##,
            [("[1,2,3]", true, "with a single items schema, additionalItems does nothing"), (##"[1,"2"]"##, false, "items still applies to all")]
        )

    static let arrays: [SuiteCase] =
        SuiteCase.group("minItems", ##"{"minItems":1}"##, [("[1,2]", true, "longer"), ("[1]", true, "exactly the minimum"), ("[]", false, "too short"), (##""""##, true, "a string is not checked")])
        + SuiteCase.group("maxItems", ##"{"maxItems":2}"##, [("[1]", true, "shorter"), ("[1,2,3]", false, "too long"), (##""foobar""##, true, "a string is not checked")])
        + SuiteCase.group("maxItems", ##"{"maxItems":2.0}"##, [("[1,2,3]", false, "a bound written 2.0")])

    static let uniqueness: [SuiteCase] =
        SuiteCase.group(
            "uniqueItems",
            ##"{"uniqueItems":true}"##,
            [
                ("[1,2]", true, "distinct integers"), ("[1,1]", false, "a repeated integer"), ("[1.0,1.0,1]", false, "1 and 1.0 are the same number"),
                ("[0,false]", true, "0 is not false"), ("[1,true]", true, "1 is not true"), (##"[{"foo":"bar"},{"foo":"baz"}]"##, true, "distinct objects"),
                (##"[{"a":1,"b":2},{"b":2,"a":1}]"##, false, "objects equal in another member order"), (##"[["foo"],["foo"]]"##, false, "repeated arrays"),
                ("[[1],[true]]", true, "[1] is not [true]"), (##"[{},[1],true,null,{},1]"##, false, "a repeat among mixed types"),
            ]
        )
        + SuiteCase.group("uniqueItems", ##"{"uniqueItems":false}"##, [("[1,1]", true, "false allows repeats")])
        + SuiteCase.group(
            "uniqueItems",
            ##"{"prefixItems":[{"type":"boolean"},{"type":"boolean"}],"uniqueItems":true,"items":false}"##,
            [("[false,true]", true, "unique and within the prefix"), ("[true,true]", false, "a repeat"), ("[false,true,null]", false, "unique but too long")]
        )
}
