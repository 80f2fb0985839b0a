extension SuiteCases {
    static let types: [SuiteCase] =
        SuiteCase.group(
            "type",
            ##"{"type":"integer"}"##,
            [
                ("1", true, "a whole number is an integer"),
                ("1.0", true, "1.0 has no fractional part, so it is an integer"),
                ("1e2", true, "an exponent form of a whole number is an integer"),
                ("1.5", false, "a fraction is not an integer"),
                (##""1""##, false, "a string of digits is not an integer"),
                ("true", false, "a boolean is not an integer"),
                ("null", false, "null is not an integer"),
            ]
        )
        + SuiteCase.group(
            "type",
            ##"{"type":"number"}"##,
            [
                ("1", true, "an integer is a number"),
                ("1.25", true, "a fraction is a number"),
                (##""1200""##, false, "the string 1200 is not a number"),
                ("[]", false, "an array is not a number"),
                ("{}", false, "an object is not a number"),
            ]
        )
        + SuiteCase.group(
            "type",
            ##"{"type":"string"}"##,
            [(##""""##, true, "the empty string is a string"), (##""1""##, true, "digits in a string are a string"), ("1", false, "a number is not a string")]
        )
        + SuiteCase.group(
            "type",
            ##"{"type":"boolean"}"##,
            [
                ("false", true, "false is a boolean"), (##""true""##, false, "the string true is not a boolean"),
                ("0", false, "zero is not a boolean"),
            ]
        )
        + SuiteCase.group("type", ##"{"type":"null"}"##, [("null", true, "null is null"), ("0", false, "zero is not null"), (##""""##, false, "an empty string is not null")])
        + SuiteCase.group("type", ##"{"type":"object"}"##, [("{}", true, "an object is an object"), ("[]", false, "an array is not an object")])
        + SuiteCase.group("type", ##"{"type":"array"}"##, [("[]", true, "an array is an array"), ("{}", false, "an object is not an array")])
        + SuiteCase.group(
            "type",
            ##"{"type":["integer","string"]}"##,
            [("7", true, "either listed type passes: integer"), (##""x""##, true, "either listed type passes: string"), ("7.5", false, "a fraction is neither"), ("null", false, "null is neither")]
        )

    static let enums: [SuiteCase] =
        SuiteCase.group("enum", ##"{"enum":[1,2,3]}"##, [("2", true, "a listed number"), ("2.0", true, "2.0 equals the listed 2"), ("4", false, "an unlisted number")])
        + SuiteCase.group(
            "enum",
            ##"{"enum":[6,"foo",[],true,{"foo":12}]}"##,
            [
                ("[]", true, "a listed empty array"), (##"{"foo":12}"##, true, "a listed object"),
                (##"{"foo":false}"##, false, "objects compare deeply"), (##"{"foo":12,"boo":42}"##, false, "an extra member makes a different object"),
                ("null", false, "an unlisted null"),
            ]
        )
        + SuiteCase.group("enum", ##"{"enum":[false]}"##, [("false", true, "false itself"), ("0", false, "zero is not false"), ("0.0", false, "0.0 is not false")])
        + SuiteCase.group("enum", ##"{"enum":[[1]]}"##, [("[1.0]", true, "[1.0] equals [1]"), ("[true]", false, "[true] is not [1]")])
        + SuiteCase.group("enum", ##"{"enum":["foo\nbar"]}"##, [(##""foo\nbar""##, true, "an escaped newline matches"), (##""foo bar""##, false, "a space is not a newline")])
        + SuiteCase.group("enum", ##"{"enum":[]}"##, [(##""a""##, false, "an empty enum admits nothing"), ("null", false, "not even null")])

    static let constants: [SuiteCase] =
        SuiteCase.group("const", ##"{"const":2}"##, [("2", true, "the same number"), ("5", false, "another number"), (##""2""##, false, "the number as a string")])
        + SuiteCase.group(
            "const",
            ##"{"const":{"foo":"bar","baz":"bax"}}"##,
            [(##"{"baz":"bax","foo":"bar"}"##, true, "member order does not matter"), (##"{"foo":"bar"}"##, false, "a missing member does")]
        )
        + SuiteCase.group(
            "const",
            ##"{"const":-2.0}"##,
            [("-2", true, "-2 equals -2.0"), ("-2.00001", false, "a near miss is a miss"), ("2", false, "the sign matters")]
        )
        + SuiteCase.group(
            "const",
            ##"{"const":9007199254740992}"##,
            [("9007199254740992.0", true, "2^53 written as a float"), ("9007199254740993", false, "2^53 + 1, which a double cannot tell apart, is different")]
        )
        + SuiteCase.group("const", ##"{"const":true}"##, [("true", true, "true itself"), ("1", false, "one is not true")])
        + SuiteCase.group("const", ##"{"const":null}"##, [("null", true, "null itself"), ("0", false, "zero is not null")])
        + SuiteCase.group(
            "const",
            ##"{"const":"\u00e4"}"##,
            [(##""\u00e4""##, true, "the same code point"), (##""a\u0308""##, false, "the decomposed form is different code points")]
        )

    static let booleanSchemas: [SuiteCase] =
        SuiteCase.group("boolean schema", "true", [("1", true, "true admits a number"), (##"{"a":[null]}"##, true, "true admits anything")])
        + SuiteCase.group("boolean schema", "false", [("1", false, "false admits no number"), ("null", false, "false admits nothing"), ("{}", false, "not even an empty object")])
        + SuiteCase.group("boolean schema", "{}", [("[1,\"a\"]", true, "the empty schema admits anything")])
}
