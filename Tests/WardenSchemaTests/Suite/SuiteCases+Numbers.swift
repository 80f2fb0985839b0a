extension SuiteCases {
    static let numbers: [SuiteCase] =
        SuiteCase.group(
            "minimum",
            ##"{"minimum":1.1}"##,
            [("2.6", true, "above the minimum"), ("1.1", true, "the minimum itself"), ("0.6", false, "below the minimum"), (##""x""##, true, "a string is not checked")]
        )
        + SuiteCase.group(
            "minimum",
            ##"{"minimum":-2}"##,
            [("-2", true, "a negative bound itself"), ("-2.0001", false, "just below a negative bound"), ("-3", false, "well below it")]
        )
        + SuiteCase.group(
            "maximum",
            ##"{"maximum":3.0}"##,
            [("2.6", true, "below the maximum"), ("3", true, "the maximum written as an integer"), ("3.5", false, "above the maximum"), ("true", true, "a boolean is not checked")]
        )
        + SuiteCase.group("maximum", ##"{"maximum":300}"##, [("300.00", true, "the bound written with zeros"), ("300.0001", false, "just above it")])
        + SuiteCase.group(
            "exclusiveMinimum",
            ##"{"exclusiveMinimum":1.1}"##,
            [("1.2", true, "above the bound"), ("1.1", false, "the bound itself is excluded"), ("0.6", false, "below the bound")]
        )
        + SuiteCase.group(
            "exclusiveMaximum",
            ##"{"exclusiveMaximum":3.0}"##,
            [("2.2", true, "below the bound"), ("3.0", false, "the bound itself is excluded"), ("3.5", false, "above the bound")]
        )
        + SuiteCase.group(
            "exclusiveMinimum (draft-04 boolean form)",
            ##"{"$schema":"http://json-schema.org/draft-04/schema#","minimum":1.1,"exclusiveMinimum":true}"##,
            [("1.1", false, "true makes the minimum exclusive"), ("1.2", true, "above it passes")]
        )
        + SuiteCase.group(
            "exclusiveMaximum (draft-04 boolean form)",
            ##"{"$schema":"http://json-schema.org/draft-04/schema#","maximum":3.0,"exclusiveMaximum":false}"##,
            [("3.0", true, "false keeps the maximum inclusive"), ("3.1", false, "above it fails")]
        )
        + SuiteCase.group(
            "minimum and maximum",
            ##"{"minimum":1,"maximum":10}"##,
            [("10", true, "the upper edge"), ("1", true, "the lower edge"), ("1200", false, "far above"), ("0", false, "below")]
        )

    static let multiples: [SuiteCase] =
        SuiteCase.group("multipleOf", ##"{"multipleOf":2}"##, [("10", true, "an even number"), ("7", false, "an odd number"), (##""foo""##, true, "a string is not checked")])
        + SuiteCase.group(
            "multipleOf",
            ##"{"multipleOf":1.5}"##,
            [("0", true, "zero is a multiple of anything"), ("4.5", true, "4.5 is three steps"), ("-4.5", true, "and so is -4.5"), ("35", false, "35 is not")]
        )
        + SuiteCase.group(
            "multipleOf",
            ##"{"multipleOf":0.0001}"##,
            [("0.0075", true, "exact in decimal though not in binary"), ("0.00751", false, "one more digit is not a multiple")]
        )
        + SuiteCase.group(
            "multipleOf",
            ##"{"type":"integer","multipleOf":0.123456789}"##,
            [("1e308", false, "a huge number is checked without overflowing")]
        )
        + SuiteCase.group("multipleOf", ##"{"type":"integer","multipleOf":1e-8}"##, [("12391239123", true, "any integer is a multiple of 1e-8")])
        + SuiteCase.group("multipleOf", ##"{"type":"integer","multipleOf":0.5}"##, [("1e308", true, "every integer is a multiple of 0.5, however large")])
}
