extension SuiteCases {
    static let combinators: [SuiteCase] =
        SuiteCase.group(
            "allOf",
            ##"{"allOf":[{"properties":{"bar":{"type":"integer"}},"required":["bar"]},{"properties":{"foo":{"type":"string"}},"required":["foo"]}]}"##,
            [(##"{"foo":"baz","bar":2}"##, true, "both branches hold"), (##"{"foo":"baz"}"##, false, "the first fails"), (##"{"bar":2}"##, false, "the second fails")]
        )
        + SuiteCase.group("allOf", ##"{"allOf":[true,false]}"##, [(##""foo""##, false, "one false branch fails allOf")])
        + SuiteCase.group("allOf", ##"{"allOf":[{"multipleOf":2},{"multipleOf":5}]}"##, [("10", true, "both"), ("2", false, "only the first")])
        + SuiteCase.group(
            "anyOf",
            ##"{"anyOf":[{"type":"integer"},{"minimum":2}]}"##,
            [("1", true, "the first branch"), ("2.5", true, "the second branch"), ("3", true, "both branches"), ("1.5", false, "neither branch")]
        )
        + SuiteCase.group("anyOf", ##"{"anyOf":[false,false]}"##, [(##""foo""##, false, "all branches false")])
        + SuiteCase.group(
            "anyOf",
            ##"{"anyOf":[{"type":"string"},{"type":"null"}]}"##,
            [(##""x""##, true, "an optional string given"), ("null", true, "an optional string given as null"), ("0", false, "a number instead")]
        )
        + SuiteCase.group(
            "oneOf",
            ##"{"oneOf":[{"type":"integer"},{"minimum":2}]}"##,
            [("1", true, "only the first"), ("2.5", true, "only the second"), ("3", false, "both, which oneOf forbids"), ("1.5", false, "neither")]
        )
        + SuiteCase.group(
            "oneOf",
            ##"{"type":"string","oneOf":[{"minLength":2},{"maxLength":4}]}"##,
            [("3", false, "fails the base schema"), (##""foobar""##, true, "only one branch"), (##""foo""##, false, "both branches")]
        )
        + SuiteCase.group("oneOf", ##"{"oneOf":[true,true,false]}"##, [(##""foo""##, false, "two true branches")])
        + SuiteCase.group("oneOf", ##"{"oneOf":[true,false,false]}"##, [(##""foo""##, true, "exactly one true branch")])
        + SuiteCase.group(
            "oneOf",
            ##"{"type":"object","oneOf":[{"required":["foo","bar"]},{"required":["foo","baz"]}]}"##,
            [(##"{"foo":1,"bar":2}"##, true, "the first set"), (##"{"foo":1,"bar":2,"baz":3}"##, false, "both sets"), (##"{"bar":2}"##, false, "neither set")]
        )
        + SuiteCase.group("not", ##"{"not":{"type":"integer"}}"##, [(##""foo""##, true, "not an integer"), ("1", false, "an integer")])
        + SuiteCase.group("not", ##"{"not":{"type":["integer","boolean"]}}"##, [("null", true, "neither listed type"), ("true", false, "a listed type")])
        + SuiteCase.group("not", ##"{"not":true}"##, [(##""foo""##, false, "not true admits nothing")])
        + SuiteCase.group("not", ##"{"not":false}"##, [(##""foo""##, true, "not false admits anything")])
        + SuiteCase.group(
            "not",
            ##"{"properties":{"foo":{"not":{}}}}"##,
            [(##"{"foo":1}"##, false, "a forbidden member present"), (##"{"bar":1}"##, true, "absent")]
        )

    static let conditionals: [SuiteCase] =
        SuiteCase.group("if", ##"{"if":{"const":0}}"##, [("0", true, "if alone changes nothing"), (##""hello""##, true, "even when it fails")])
        + SuiteCase.group("then", ##"{"then":{"const":0}}"##, [(##""hello""##, true, "then without if is ignored")])
        + SuiteCase.group(
            "if/then/else",
            ##"{"if":{"exclusiveMaximum":0},"then":{"minimum":-10},"else":{"multipleOf":2}}"##,
            [("-1", true, "valid through then"), ("-100", false, "invalid through then"), ("4", true, "valid through else"), ("3", false, "invalid through else")]
        )
        + SuiteCase.group(
            "if/then/else",
            ##"{"allOf":[{"if":{"exclusiveMaximum":0}},{"then":{"minimum":-10}},{"else":{"multipleOf":2}}]}"##,
            [("-100", true, "if, then and else in separate schemas do not combine"), ("3", true, "neither way")]
        )
        + SuiteCase.group(
            "if/then/else",
            ##"{"if":true,"then":{"const":"then"},"else":{"const":"else"}}"##,
            [(##""then""##, true, "if true always takes then"), (##""else""##, false, "and never else")]
        )
        + SuiteCase.group(
            "if/then/else",
            ##"{"then":{"const":"yes"},"else":{"const":"other"},"if":{"maxLength":4}}"##,
            [(##""yes""##, true, "keyword order in the document does not matter"), (##""no""##, false, "short, so then applies"), (##""invalid""##, false, "long, so else applies")]
        )
}
