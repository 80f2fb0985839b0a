import Testing
import WardenJSON
import WardenPolicy

/// One row of the operator table: a test, a value (nil for absent) and whether the test holds.
struct OperatorCase: Sendable, CustomTestStringConvertible {
    var op: TestOperator
    var operand: JSONValue
    var value: JSONValue?
    var holds: Bool

    init(_ op: TestOperator, _ operand: JSONValue, _ value: JSONValue?, _ holds: Bool) {
        self.op = op
        self.operand = operand
        self.value = value
        self.holds = holds
    }

    var testDescription: String { "\(op): \(operand.displayText) on \(value?.displayText ?? "absent") → \(holds)" }
}

struct ConditionTestTests {
    static let table: [OperatorCase] = [
        // eq / ne: numbers by value (a string or boolean read as a lenient server reads it), strings exactly.
        OperatorCase(.eq, 5, 5, true), OperatorCase(.eq, 1, 1.0, true), OperatorCase(.eq, 5, "5", true), OperatorCase(.eq, "5", 5, false),
        OperatorCase(.eq, "a", "a", true), OperatorCase(.eq, "a", "A", false), OperatorCase(.eq, true, true, true),
        OperatorCase(.eq, [1, 2], [1, 2], true), OperatorCase(.eq, ["a": 1], ["a": 1], true),
        OperatorCase(.ne, 5, 6, true), OperatorCase(.ne, 5, 5.0, false), OperatorCase(.ne, 5, "5", false),
        // in / not_in
        OperatorCase(.in, ["a", "b"], "a", true), OperatorCase(.in, ["a", "b"], "c", false), OperatorCase(.in, [1, 2], 2.0, true),
        OperatorCase(.notIn, ["a", "b"], "c", true), OperatorCase(.notIn, ["a", "b"], "b", false),
        // ordering: numbers numerically (strings holding numbers too), strings by Unicode scalars, other mixes never
        OperatorCase(.lt, 10, 9.5, true), OperatorCase(.lt, 10, 10, false), OperatorCase(.lte, 10, 10, true),
        OperatorCase(.gt, 10, 11, true), OperatorCase(.gt, 10, 10, false), OperatorCase(.gte, 10, 10.0, true),
        OperatorCase(.gte, 10, 9, false), OperatorCase(.lt, "m", "a", true), OperatorCase(.gt, "m", "z", true),
        OperatorCase(.lt, 10, "5", true), OperatorCase(.gt, 10, "50", true), OperatorCase(.lte, 10, true, true),
        OperatorCase(.gt, 10, "fifty", false), OperatorCase(.lt, "m", 5, false), OperatorCase(.gt, 10, [50], false),
        // text tests: a positive test on the wrong type fails
        OperatorCase(.matches, "^s3://[a-z]+/", "s3://bucket/x", true), OperatorCase(.matches, "bucket", "s3://bucket/x", true),
        OperatorCase(.matches, "^bucket", "s3://bucket/x", false), OperatorCase(.matches, "5", 5, false),
        OperatorCase(.notMatches, "^s3://", "gs://x", true), OperatorCase(.notMatches, "^s3://", "s3://x", false),
        OperatorCase(.startsWith, "s3://ok/", "s3://ok/file", true), OperatorCase(.startsWith, "s3://ok/", "s3://other/ok/", false),
        OperatorCase(.startsWith, "1", 12, false), OperatorCase(.notStartsWith, "s3://ok/", "s3://evil/", true),
        OperatorCase(.notStartsWith, "s3://ok/", "s3://ok/x", false), OperatorCase(.notStartsWith, "1", 12, true),
        OperatorCase(.endsWith, ".csv", "data.csv", true), OperatorCase(.endsWith, ".csv", "data.csv.exe", false),
        OperatorCase(.endsWith, "long suffix", "x", false),
        // contains: substring for text, element for lists
        OperatorCase(.contains, "DROP", "x; DROP TABLE", true), OperatorCase(.contains, "drop", "x; DROP TABLE", false),
        OperatorCase(.contains, "admin", ["ops", "admin"], true), OperatorCase(.contains, 3, [1, 2, 3.0], true),
        OperatorCase(.contains, "3", [1, 2, 3], false), OperatorCase(.contains, "a", ["a": 1], false), OperatorCase(.contains, 1, 1, false),
        // exists
        OperatorCase(.exists, true, "", true), OperatorCase(.exists, true, false, true), OperatorCase(.exists, false, 0, false),
        // max_length: characters for text, elements for lists
        OperatorCase(.maxLength, 3, "abc", true), OperatorCase(.maxLength, 3, "abcd", false), OperatorCase(.maxLength, 1, "é", true),
        OperatorCase(.maxLength, 2, [1, 2], true), OperatorCase(.maxLength, 2, [1, 2, 3], false), OperatorCase(.maxLength, 5, 12, false),
        // type
        OperatorCase(.type, "string", "x", true), OperatorCase(.type, "string", 1, false), OperatorCase(.type, "number", 1.5, true),
        OperatorCase(.type, "integer", 3, true), OperatorCase(.type, "integer", 3.0, true), OperatorCase(.type, "integer", 3.5, false),
        OperatorCase(.type, "boolean", false, true), OperatorCase(.type, "array", [], true), OperatorCase(.type, "object", [:], true),
        OperatorCase(.type, "object", [], false),
    ]

    @Test("each test compares as documented, by type", arguments: table)
    func operatorTable(row: OperatorCase) throws {
        let test = try ConditionTest(row.op, row.operand)
        #expect(test.holds(for: row.value) == row.holds)
    }

    static let positives: [(TestOperator, JSONValue)] = [
        (.eq, 5), (.in, [1, 2]), (.lt, 5), (.lte, 5), (.gt, 5), (.gte, 5), (.matches, "."), (.startsWith, ""), (.endsWith, ""),
        (.contains, ""), (.exists, true), (.maxLength, 100), (.type, "string"),
    ]

    @Test("an absent value fails every positive test, even ones any present value would pass")
    func absentFailsPositives() throws {
        for (op, operand) in Self.positives {
            let test = try ConditionTest(op, operand)
            #expect(!test.holds(for: nil), "\(op) held for an absent value")
            #expect(!test.holds(for: .null), "\(op) held for null")
        }
    }

    static let negatives: [(TestOperator, JSONValue)] = [(.ne, 5), (.notIn, [1, 2]), (.notMatches, "."), (.notStartsWith, ""), (.exists, false)]

    @Test("an absent value passes every negative test", arguments: negatives)
    func absentPassesNegatives(op: TestOperator, operand: JSONValue) throws {
        let test = try ConditionTest(op, operand)
        #expect(test.holds(for: nil))
        #expect(test.holds(for: .null))
    }

    static let sampleValues: [JSONValue?] = [
        nil, .null, true, false, 0, 5, 5.0, -3, 2.5, 100, "", "5", "a", "s3://approved/x", "s3://other/x", "approved",
        [], [1, 2], ["a", "b"], [5], [:], ["a": 1], "é", "\n",
    ]

    @Test("`not_X` always equals `not: {X}`, for every negative test, operand and value")
    func negativeEqualsNegatedPositive() throws {
        let pairs: [(negative: TestOperator, positive: TestOperator, operands: [JSONValue])] = [
            (.ne, .eq, [5, "5", "a", [1, 2], true, [:]]),
            (.notIn, .in, [[5, "a"], [], [[1, 2]], ["s3://approved/x"]]),
            (.notMatches, .matches, ["^s3://approved/", "a", "^$", "[0-9]"]),
            (.notStartsWith, .startsWith, ["s3://approved/", "", "a", "5"]),
        ]
        var checked = 0
        for pair in pairs {
            #expect(pair.negative.negated == pair.positive)
            for operand in pair.operands {
                let negative = try ConditionTest(pair.negative, operand)
                let positive = try ConditionTest(pair.positive, operand)
                for value in Self.sampleValues {
                    #expect(
                        negative.holds(for: value) == !positive.holds(for: value),
                        "\(pair.negative) \(operand.displayText) on \(value?.displayText ?? "absent")"
                    )
                    checked += 1
                }
            }
        }
        let existsTrue = try ConditionTest(.exists, true)
        let existsFalse = try ConditionTest(.exists, false)
        for value in Self.sampleValues { #expect(existsFalse.holds(for: value) == !existsTrue.holds(for: value)) }
        #expect(checked == 18 * Self.sampleValues.count)
    }

    @Test("the equivalence also holds through loaded policies with `not:`")
    func negativeEqualsNotThroughPolicy() {
        let policy = compile(
            """
            version: 1
            rules:
              - name: negative
                when: {args.uri: {not_starts_with: "s3://approved/"}}
                action: deny
              - name: wrapped
                when:
                  not: {args.uri: {starts_with: "s3://approved/"}}
                action: deny
            """
        )
        for value in Self.sampleValues {
            let arguments = value.map { JSONValue.object(JSONObject([(key: "uri", value: $0)])) } ?? .object(JSONObject())
            let decision = policy.decide(call("export", arguments))
            #expect(decision.matchedRules == [] || decision.matchedRules == [0, 1], "\(value?.displayText ?? "absent")")
        }
    }

    @Test("tests print back as they are written")
    func descriptions() throws {
        #expect(try ConditionTest(.notStartsWith, "s3://x/").description == "not_starts_with: \"s3://x/\"")
        #expect(try ConditionTest(.in, [1, "a"]).description == "in: [1, \"a\"]")
        #expect(
            TestOperator.all.map(\.description) == [
                "eq", "ne", "in", "not_in", "lt", "lte", "gt", "gte", "matches", "not_matches", "starts_with", "not_starts_with", "ends_with",
                "contains", "exists", "max_length", "type",
            ]
        )
    }
}
