extension SuiteCases {
    static let properties: [SuiteCase] =
        SuiteCase.group(
            "properties",
            ##"{"properties":{"foo":{"type":"integer"},"bar":{"type":"string"}}}"##,
            [
                (##"{"foo":1,"bar":"baz"}"##, true, "both members match"), (##"{"foo":1,"bar":{}}"##, false, "one member does not"),
                (##"{"quux":[]}"##, true, "undeclared members are free"), ("[]", true, "an array is not checked"),
            ]
        )
        + SuiteCase.group(
            "properties",
            ##"{"properties":{"foo":true,"bar":false}}"##,
            [("{}", true, "neither present"), (##"{"foo":1}"##, true, "only the true one"), (##"{"bar":2}"##, false, "the false one is present")]
        )
        + SuiteCase.group(
            "properties",
            ##"{"properties":{"foo\nbar":{"type":"number"},"foo\"bar":{"type":"number"}}}"##,
            [(##"{"foo\nbar":1,"foo\"bar":1}"##, true, "escaped names match"), (##"{"foo\nbar":"1"}"##, false, "a string under an escaped name")]
        )
        + SuiteCase.group(
            "properties",
            ##"{"properties":{"__proto__":{"type":"number"},"constructor":{"type":"number"}}}"##,
            [(##"{"__proto__":"foo"}"##, false, "JavaScript's special names are ordinary names"), (##"{"constructor":37}"##, true, "and match as declared")]
        )
        + SuiteCase.group("minProperties", ##"{"minProperties":1}"##, [(##"{"a":1}"##, true, "one member"), ("{}", false, "none"), ("[]", true, "an array is not checked")])
        + SuiteCase.group("maxProperties", ##"{"maxProperties":2}"##, [(##"{"a":1,"b":2}"##, true, "two members"), (##"{"a":1,"b":2,"c":3}"##, false, "three")])

    static let additionalProperties: [SuiteCase] =
        SuiteCase.group(
            "additionalProperties",
            ##"{"properties":{"foo":{},"bar":{}},"patternProperties":{"^v":{}},"additionalProperties":false}"##,
            [
                (##"{"foo":1}"##, true, "only declared members"), (##"{"foo":1,"bar":2,"quux":"boom"}"##, false, "an undeclared member"),
                (##"{"foo":1,"vroom":2}"##, true, "a member matching patternProperties is not additional"), ("[1,2,3]", true, "an array is not checked"),
            ]
        )
        + SuiteCase.group(
            "additionalProperties",
            ##"{"patternProperties":{"^á":{}},"additionalProperties":false}"##,
            [(##"{"ármányos":2}"##, true, "a non-ASCII pattern matches"), (##"{"élmény":2}"##, false, "and rejects what it does not match")]
        )
        + SuiteCase.group(
            "additionalProperties",
            ##"{"properties":{"foo":{},"bar":{}},"additionalProperties":{"type":"boolean"}}"##,
            [(##"{"foo":1,"bar":2,"quux":true}"##, true, "an extra member of the right type"), (##"{"foo":1,"bar":2,"quux":12}"##, false, "an extra member of the wrong type")]
        )
        + SuiteCase.group(
            "additionalProperties",
            ##"{"allOf":[{"properties":{"foo":{}}}],"additionalProperties":{"type":"boolean"}}"##,
            [(##"{"foo":1,"bar":true}"##, false, "properties inside allOf do not count as declared")]
        )

    static let patternProperties: [SuiteCase] =
        SuiteCase.group(
            "patternProperties",
            ##"{"patternProperties":{"f.*o":{"type":"integer"}}}"##,
            [(##"{"foo":1,"foooooo":2}"##, true, "every match is an integer"), (##"{"foo":"bar","fooooo":2}"##, false, "one match is not"), (##""foo""##, true, "a string is not checked")]
        )
        + SuiteCase.group(
            "patternProperties",
            ##"{"patternProperties":{"a*":{"type":"integer"},"aaa*":{"maximum":20}}}"##,
            [(##"{"aaaa":18}"##, true, "matches both, satisfies both"), (##"{"aaaa":31}"##, false, "matches both, fails the second")]
        )
        + SuiteCase.group(
            "patternProperties",
            ##"{"patternProperties":{"[0-9]{2,}":{"type":"boolean"},"X_":{"type":"string"}}}"##,
            [(##"{"a31b":null}"##, false, "patterns are not anchored"), (##"{"a_x_3":3}"##, true, "patterns are case-sensitive")]
        )
        + SuiteCase.group(
            "patternProperties",
            ##"{"patternProperties":{"f.*":true,"b.*":false}}"##,
            [(##"{"foo":1}"##, true, "matches the true schema"), (##"{"foobar":1}"##, false, "matches both, and false wins")]
        )

    static let requirements: [SuiteCase] =
        SuiteCase.group(
            "required",
            ##"{"properties":{"foo":{},"bar":{}},"required":["foo"]}"##,
            [(##"{"foo":1}"##, true, "the required member is present"), (##"{"bar":1}"##, false, "it is missing"), ("[]", true, "an array is not checked"), ("12", true, "nor a number")]
        )
        + SuiteCase.group(
            "required",
            ##"{"required":["foo\nbar","foo\"bar"]}"##,
            [(##"{"foo\nbar":1,"foo\"bar":1}"##, true, "escaped names present"), (##"{"foo\nbar":1}"##, false, "one escaped name missing")]
        )
        + SuiteCase.group(
            "required",
            ##"{"required":["__proto__","toString","constructor"]}"##,
            [("{}", false, "JavaScript's special names must be present like any other"), (##"{"__proto__":12,"toString":{},"constructor":37}"##, true, "all present")]
        )
        + SuiteCase.group("required", ##"{"properties":{"foo":{}},"required":[]}"##, [("{}", true, "an empty list requires nothing")])
}
