extension SuiteCases {
    static let dependencies: [SuiteCase] =
        SuiteCase.group(
            "propertyNames",
            ##"{"propertyNames":{"maxLength":3}}"##,
            [(##"{"f":{},"foo":{}}"##, true, "every name short enough"), (##"{"foo":{},"foobar":{}}"##, false, "one name too long"), ("[1,2,3,4]", true, "an array is not checked")]
        )
        + SuiteCase.group("propertyNames", ##"{"propertyNames":{"pattern":"^a+$"}}"##, [(##"{"a":{},"aa":{}}"##, true, "names match"), (##"{"aaA":{}}"##, false, "a name does not")])
        + SuiteCase.group("propertyNames", ##"{"propertyNames":false}"##, [(##"{"foo":1}"##, false, "false admits no member"), ("{}", true, "but the empty object")])
        + SuiteCase.group("propertyNames", ##"{"propertyNames":{"enum":["foo","bar"]}}"##, [(##"{"foo":1,"bar":1}"##, true, "listed names"), (##"{"baz":1}"##, false, "an unlisted name")])
        + SuiteCase.group(
            "dependentRequired",
            ##"{"dependentRequired":{"quux":["foo","bar"]}}"##,
            [
                ("{}", true, "the trigger is absent"), (##"{"foo":1,"bar":2,"quux":3}"##, true, "the trigger with its dependents"),
                (##"{"foo":1,"quux":2}"##, false, "a dependent missing"), (##"{"quux":1}"##, false, "both dependents missing"), (##"["quux"]"##, true, "an array is not checked"),
            ]
        )
        + SuiteCase.group(
            "dependentRequired",
            ##"{"dependentRequired":{"foo\nbar":["foo\rbar"]}}"##,
            [(##"{"foo\nbar":1,"foo\rbar":2}"##, true, "escaped names present"), (##"{"foo\nbar":1,"foo":2}"##, false, "the escaped dependent missing")]
        )
        + SuiteCase.group(
            "dependentSchemas",
            ##"{"dependentSchemas":{"bar":{"properties":{"foo":{"type":"integer"},"bar":{"type":"integer"}}}}}"##,
            [(##"{"foo":1,"bar":2}"##, true, "the dependent schema holds"), (##"{"foo":"quux"}"##, true, "no trigger, no dependent schema"), (##"{"foo":"quux","bar":2}"##, false, "it fails")]
        )
        + SuiteCase.group(
            "dependentSchemas",
            ##"{"properties":{"foo":{}},"dependentSchemas":{"foo":{"properties":{"bar":{}},"additionalProperties":false}}}"##,
            [(##"{"foo":1}"##, false, "the dependent schema forbids the trigger itself"), (##"{"bar":1}"##, true, "no trigger")]
        )
        + SuiteCase.group(
            "dependencies (draft-07)",
            ##"{"$schema":"http://json-schema.org/draft-07/schema#","dependencies":{"bar":["foo"],"baz":{"required":["qux"]},"no":false}}"##,
            [
                (##"{"foo":1,"bar":2}"##, true, "an array dependency satisfied"), (##"{"bar":2}"##, false, "an array dependency missing"),
                (##"{"baz":1}"##, false, "a schema dependency failing"), (##"{"baz":1,"qux":2}"##, true, "a schema dependency holding"),
                (##"{"no":1}"##, false, "a false schema dependency"),
            ]
        )
        + SuiteCase.group(
            "contains",
            ##"{"contains":{"minimum":5}}"##,
            [("[3,4,5]", true, "one element matches"), ("[2,3,4]", false, "none does"), ("[]", false, "the empty array has no match"), ("{}", true, "an object is not checked")]
        )
        + SuiteCase.group("contains", ##"{"contains":false}"##, [(##"["foo"]"##, false, "false matches no element"), (#""x""#, true, "a string is not checked")])
        + SuiteCase.group(
            "contains",
            ##"{"items":{"multipleOf":2},"contains":{"multipleOf":3}}"##,
            [("[2,4,8]", false, "items hold but contains does not"), ("[3,6,9]", false, "contains holds but items do not"), ("[6,12]", true, "both hold")]
        )
        + SuiteCase.group(
            "minContains",
            ##"{"contains":{"const":1},"minContains":2}"##,
            [("[1]", false, "one match of two needed"), ("[1,2,1]", true, "two matches among others")]
        )
        + SuiteCase.group("minContains", ##"{"contains":{"const":1},"minContains":0}"##, [("[]", true, "zero needed"), ("[2]", true, "still none needed")])
        + SuiteCase.group("minContains", ##"{"minContains":1}"##, [("[]", true, "without contains it does nothing")])
        + SuiteCase.group(
            "maxContains",
            ##"{"contains":{"const":1},"maxContains":1}"##,
            [("[1,2]", true, "one match"), ("[1,2,1]", false, "two matches"), ("[]", false, "contains still needs one")]
        )
}
