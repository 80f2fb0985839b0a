import Testing
import WardenJSON
import WardenPolicy

struct ExplanationTests {
    let policy = CompiledPolicy(
        (try? PolicyLoader.load(yaml: LoadingTests.designExample, fileName: "imaging.yaml")) ?? Policy()
    )

    @Test("explain shows the decision and, rule by rule, why each matched or not, with the values it saw")
    func readableReport() {
        let explanation = policy.explain(call("start_dicom_export_job", ["output_s3_uri": "s3://other/x"], agent: "bot"))
        #expect(
            explanation.description == """
                tool `start_dicom_export_job`: deny by rule "exports go to the approved bucket only" — Export destination must be the approved bucket
                  matched     rule "exports go to the approved bucket only" [deny] (imaging.yaml:7:5): args.output_s3_uri = "s3://other/x" does not start with "s3://imaging-exports-approved/"  ← decides
                  matched     rule "exports need a human" [require_approval] (imaging.yaml:14:5): its selectors match and it has no conditions
                  not matched rule "daily charge budget" (imaging.yaml:21:5): tool `start_dicom_export_job` is not `create_charge`
                  matched     rule "execute tools are throttled" (imaging.yaml:26:5): its selectors match and it has no conditions
                """
        )
        #expect(explanation.rules.map(\.matched) == [true, true, false, true])
    }

    @Test("explain's verdicts agree with decide's matched rules")
    func agreesWithDecide() {
        for arguments: JSONValue in [["output_s3_uri": "s3://imaging-exports-approved/a"], ["output_s3_uri": 5], [:]] {
            let call = call("start_dicom_export_job", arguments)
            let explanation = policy.explain(call)
            #expect(explanation.rules.filter(\.matched).map(\.ruleIndex) == policy.decide(call).matchedRules)
            #expect(explanation.decision == policy.decide(call))
        }
    }

    @Test("a failed condition names the value, or says it is absent")
    func conditionReasons() {
        let allowed = policy.explain(call("start_dicom_export_job", ["output_s3_uri": "s3://imaging-exports-approved/a"]))
        #expect(allowed.rules[0].why == "args.output_s3_uri = \"s3://imaging-exports-approved/a\" starts with \"s3://imaging-exports-approved/\"")
        #expect(!allowed.rules[0].matched)
        let absent = policy.explain(call("start_dicom_export_job"))
        #expect(absent.rules[0].why == "args.output_s3_uri is absent, so `not_starts_with` holds")
        #expect(absent.rules[0].matched)
    }

    @Test(
        "explanations of nested conditions say which branch decided",
        arguments: [
            ("args.n: {gt: 5}", JSONValue.object(["n": 3]), "args.n = 3 is not greater than 5"),
            ("args.n: {gt: 5}", JSONValue.object(["n": "9"]), "args.n = \"9\" (read as number 9) is greater than 5"),
            ("args.n: {gt: 5}", JSONValue.object(["n": "nine"]), "args.n = \"nine\" is not greater than 5 (a string cannot be compared with a number)"),
            ("args.n: {gt: 5}", JSONValue.object(["n": "nan"]), "args.n = \"nan\" (read as number nan) is not greater than 5 (NaN compares with nothing)"),
            ("args.s: {max_length: 2}", JSONValue.object(["s": "abc"]), "args.s = \"abc\" has length 3, more than 2"),
            ("args.s: {type: number}", JSONValue.object(["s": "abc"]), "args.s = \"abc\" is not of type number (it is a string)"),
            ("args.n: {exists: true}", JSONValue.object([:]), "args.n is absent"),
            (
                "any: [{args.a: 1}, {args.b: 2}]", JSONValue.object(["a": 0]),
                "none of `any` holds: args.a = 0 does not equal 1; args.b is absent, so `eq` fails"
            ),
            (
                "any: [{args.n: {gt: 500}}, {args.n: {type: number, lte: 0}}]", JSONValue.object(["n": -5]),
                "args.n = -5 is of type number and args.n = -5 is at most 0"
            ),
            ("not: {args.a: {in: [1, 2]}}", JSONValue.object(["a": 2]), "`not` fails because args.a = 2 is in [1, 2]"),
            ("all: [{args.a: 1}, {args.b: {ne: 2}}]", JSONValue.object(["a": 1, "b": 2]), "args.b = 2 equals 2"),
        ]
    )
    func nestedReasons(when: String, arguments: JSONValue, why: String) {
        let policy = compile("version: 1\nrules:\n  - when: {\(when)}\n    action: deny\n")
        #expect(policy.explain(call("t", arguments)).rules.first?.why == why)
    }

    @Test("a hidden tool is reported as hidden, with the decision it would otherwise get")
    func hiddenTool() {
        let explanation = policy.explain(call("delete_study"))
        #expect(explanation.isHidden)
        #expect(explanation.description.hasPrefix("tool `delete_study`: hidden"))
    }

    @Test("the default decision is labelled as the default")
    func defaultDecision() {
        let explanation = policy.explain(call("get_study"))
        #expect(explanation.decision.isDefault)
        #expect(explanation.description.hasPrefix("tool `get_study`: allow (the policy's default; no matching rule sets an action)"))
    }

    @Test("a rejected selector is named with the call's value")
    func selectorReasons() {
        let policy = compile(
            """
            version: 1
            rules:
              - {tool: ["a", "b*"], action: deny}
              - {agent: ci, action: deny}
              - {server: billing, action: deny}
              - {category: destructive, action: deny}
            """
        )
        #expect(
            policy.explain(call("get_user", agent: "dev", server: "crm")).rules.map(\.why) == [
                "tool `get_user` is not `a`, `b*`",
                "agent `dev` is not `ci`",
                "server `crm` is not `billing`",
                "category `read` is not `destructive`",
            ]
        )
        #expect(
            policy.explain(call("get_user")).rules[1...2].map(\.why) == [
                "the call has no agent id; the rule is for `ci`",
                "the call has no server name; the rule is for `billing`",
            ]
        )
    }

    @Test("the explanation is also available as JSON for programs")
    func json() {
        let value = policy.explain(call("start_dicom_export_job", ["output_s3_uri": "s3://other/x"])).jsonValue
        #expect(value["hidden"] == false)
        #expect(value["decision"]?["action"] == "deny")
        #expect(value["decision"]?["ruleIndex"] == 0)
        #expect(value["decision"]?["matchedRules"] == [0, 1, 3])
        #expect(value["rules"]?.arrayValue?.count == 4)
        #expect(value["rules"]?.arrayValue?[2]["matched"] == false)
        #expect(value["rules"]?.arrayValue?[2]["action"] == .some(.null))
        #expect(value["rules"]?.arrayValue?[0]["position"] == "imaging.yaml:7:5")
    }
}
