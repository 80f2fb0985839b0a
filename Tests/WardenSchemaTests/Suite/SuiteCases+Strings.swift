extension SuiteCases {
    static let strings: [SuiteCase] =
        SuiteCase.group(
            "minLength",
            ##"{"minLength":2}"##,
            [
                (##""foo""##, true, "longer than the minimum"), (##""fo""##, true, "exactly the minimum"), (##""f""##, false, "shorter than the minimum"),
                ("1", true, "a number is not checked"), (##""💩""##, false, "one emoji is one code point, though two UTF-16 units"),
            ]
        )
        + SuiteCase.group("minLength", ##"{"minLength":2.0}"##, [(##""f""##, false, "a bound written 2.0 is the integer 2")])
        + SuiteCase.group(
            "maxLength",
            ##"{"maxLength":2}"##,
            [(##""f""##, true, "shorter than the maximum"), (##""foo""##, false, "longer than the maximum"), (##""💩💩""##, true, "two emoji are two code points")]
        )
        + SuiteCase.group(
            "maxLength",
            ##"{"maxLength":1}"##,
            [(##""\u00e9""##, true, "a precomposed é is one code point"), (##""e\u0301""##, false, "e and a combining accent are two")]
        )

    static let patterns: [SuiteCase] =
        SuiteCase.group(
            "pattern",
            ##"{"pattern":"^a*$"}"##,
            [
                (##""aaa""##, true, "a matching string"), (##""abc""##, false, "a string that does not match"), ("true", true, "a boolean is not checked"),
                ("123", true, "a number is not checked"), (##""aaa\n""##, false, "$ does not match before a final newline, as in ECMA-262"),
            ]
        )
        + SuiteCase.group("pattern", ##"{"pattern":"a+"}"##, [(##""xxaayy""##, true, "a pattern is not anchored: a substring matches")])
        + SuiteCase.group(
            "pattern",
            ##"{"type":"string","pattern":"^\\p{Letter}+$"}"##,
            [(##""Hello""##, true, "ASCII letters are letters"), (##""π""##, true, "so is pi"), (##""123""##, false, "digits are not")]
        )
        + SuiteCase.group(
            "pattern",
            ##"{"pattern":"^\\d+$"}"##,
            [(##""42""##, true, "ASCII digits"), (##""\u0664\u0662""##, false, "Arabic-Indic digits are not \\d in ECMA-262")]
        )
        + SuiteCase.group("pattern", ##"{"pattern":"^s3://"}"##, [(##""s3://bucket/key""##, true, "a prefix pattern"), (##""https://x""##, false, "another scheme")])

    static let formats: [SuiteCase] =
        SuiteCase.group(
            "format (annotation)",
            ##"{"format":"date-time"}"##,
            [(##""not a date""##, true, "without strict formats a format is only an annotation")]
        )
}

/// Format cases, checked with `strictFormats: true` (the suite's optional format tests).
enum StrictFormatCases {
    static let all: [SuiteCase] =
        SuiteCase.group(
            "date-time",
            ##"{"format":"date-time"}"##,
            [
                (##""1963-06-19T08:30:06.283185Z""##, true, "with a fraction of a second"), (##""1963-06-19T08:30:06Z""##, true, "without one"),
                (##""1937-01-01T12:00:27.87+00:20""##, true, "with a plus offset"), (##""1998-12-31T23:59:60Z""##, true, "a leap second in UTC"),
                (##""1998-12-31T15:59:60.123-08:00""##, true, "a leap second with an offset"), (##""1998-12-31T23:58:60Z""##, false, "a leap second in the wrong minute"),
                (##""1990-02-31T15:59:59.123-08:00""##, false, "the 31st of February"), (##""1990-12-31T15:59:59-24:00""##, false, "an offset of 24 hours"),
                (##""1990-12-31T24:00:00Z""##, false, "hour 24"), (##""06/19/1963 08:30:06 PST""##, false, "not RFC 3339"),
                (##""1963-06-19t08:30:06.283185z""##, true, "lower-case t and z"), (##""1963-06-1৪T00:00:00Z""##, false, "a Bengali digit"),
                (##""1985-04-12T23:20:50+01""##, false, "an offset without minutes"), (##""1985-04-12T23:20:50Z\n""##, false, "a trailing newline"),
                ("12", true, "a number is not checked"),
            ]
        )
        + SuiteCase.group(
            "date",
            ##"{"format":"date"}"##,
            [(##""2020-02-29""##, true, "a leap day"), (##""2021-02-29""##, false, "no leap day in 2021"), (##""2020-1-01""##, false, "an unpadded month")]
        )
        + SuiteCase.group(
            "email",
            ##"{"format":"email"}"##,
            [
                (##""joe.bloggs@example.com""##, true, "a plain address"), (##""te~st@example.com""##, true, "a tilde in the local part"),
                (##""joe.bloggs@[127.0.0.1]""##, true, "an IPv4 literal domain"), (##""2962""##, false, "no @"),
                (##"".test@example.com""##, false, "a leading dot"), (##""te..st@example.com""##, false, "two dots in a row"),
                (##""joe.bloggs@invalid=domain.com""##, false, "a bad domain"), (##""@example.com""##, false, "no local part"),
                (##""joe bloggs@example.com""##, false, "an unquoted space"),
            ]
        )
        + SuiteCase.group(
            "uri",
            ##"{"format":"uri"}"##,
            [
                (##""http://foo.bar/?baz=qux#quux""##, true, "a URL with a query and fragment"), (##""mailto:John.Doe@example.com""##, true, "a mailto URI"),
                (##""urn:oasis:names:specification:docbook:dtd:xml:4.1.2""##, true, "a URN"), (##""http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com""##, true, "many special characters"),
                (##""//foo.bar/?baz=qux#quux""##, false, "a protocol-relative reference"), (##""abc""##, false, "a relative reference"),
                (##""http:// shouldfail.com""##, false, "a space"), (##""bar,baz:foo""##, false, "a comma in the scheme"),
                (##""http://example.com/%6G""##, false, "a malformed %-escape"), (##""https://example.org/foobar®.txt""##, false, "an unescaped non-ASCII character"),
            ]
        )
        + SuiteCase.group(
            "uuid",
            ##"{"format":"uuid"}"##,
            [(##""2EB8AA08-AA98-11EA-B4AA-73B441D16380""##, true, "upper-case hex"), (##""2eb8aa08-aa98-11ea-b4aa-73b441d1638""##, false, "one digit short")]
        )
        + SuiteCase.group(
            "ipv4",
            ##"{"format":"ipv4"}"##,
            [(##""192.168.0.1""##, true, "a dotted quad"), (##""256.256.256.256""##, false, "octets above 255"), (##""087.10.0.1""##, false, "a leading zero")]
        )
}
