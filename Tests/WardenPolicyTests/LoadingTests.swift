import Testing
import WardenJSON
import WardenPolicy

struct LoadingTests {
    static let designExample = """
        version: 1
        description: Guard rails for the imaging server
        default: allow               # allow | deny | require_approval — when no rule sets an action
        hide: [valkey_admin, "delete_*"]   # gone from tools/list; a call gets "unknown tool"

        rules:
          - name: exports go to the approved bucket only
            tool: start_dicom_export_job     # exact name, glob, or a list of them
            when:
              args.output_s3_uri: {not_starts_with: "s3://imaging-exports-approved/"}
            action: deny
            reason: Export destination must be the approved bucket

          - name: exports need a human
            tool: start_dicom_export_job
            action: require_approval
            reason: Exports move patient data out of the datastore
            approval: {timeout: 10m}
            rate_limit: {max: 10, window: 60}         # seconds, or 30s / 5m / 1h / 1d

          - name: daily charge budget
            tool: create_charge
            budget: {sum: args.amount, max: 100000, window: 1d, per: agent}
            reason: Daily spend cap reached

          - name: execute tools are throttled
            category: execute
            rate_limit: {max: 30, window: 1m, per: agent}
        """

    @Test("the example policy from the design loads with every part in place")
    func designExampleLoads() throws {
        let policy = try PolicyLoader.load(yaml: Self.designExample, fileName: "imaging.yaml")
        #expect(policy.version == 1)
        #expect(policy.description == "Guard rails for the imaging server")
        #expect(policy.defaultAction == .allow)
        #expect(policy.hide == ["valkey_admin", "delete_*"])
        #expect(
            policy.rules.map(\.name) == [
                "exports go to the approved bucket only", "exports need a human", "daily charge budget", "execute tools are throttled",
            ]
        )

        let deny = policy.rules[0]
        #expect(deny.position == SourcePosition(fileName: "imaging.yaml", line: 7, column: 5))
        #expect(deny.tools == ["start_dicom_export_job"])
        #expect(deny.action == .deny)
        #expect(deny.reason == "Export destination must be the approved bucket")
        let test = try ConditionTest(.notStartsWith, "s3://imaging-exports-approved/")
        #expect(deny.condition == .test(try ValuePath(parsing: "args.output_s3_uri"), test))

        let approval = policy.rules[1]
        #expect(approval.action == .requireApproval)
        #expect(approval.approval == ApprovalSettings(timeout: .seconds(600)))
        #expect(approval.rateLimit == RateLimit(max: 10, window: .seconds(60), per: .session))
        #expect(approval.rateLimitPosition == SourcePosition(fileName: "imaging.yaml", line: 19, column: 5))

        let budget = policy.rules[2]
        #expect(budget.action == nil)
        #expect(budget.budget == Budget(sum: try ValuePath(parsing: "args.amount"), max: 100_000, window: .seconds(86_400), per: .agent))

        let throttle = policy.rules[3]
        #expect(throttle.categories == [.execute])
        #expect(throttle.rateLimit == RateLimit(max: 30, window: .seconds(60), per: .agent))
        #expect(policy.failMode == .closed)
        #expect(policy.audit == AuditSettings(arguments: .hash))
    }

    @Test("the demo policy shipped in examples loads, with its tests")
    func demoPolicyLoads() {
        let policy = load(
            """
            version: 1
            default: allow
            hide: [delete_record]
            rules:
              - name: large charges need finance review
                tool: create_charge
                when:
                  any:
                    - args.amount: {gt: 500}
                    - args.amount: {type: number, lte: 0}
                action: deny
                reason: Charges must be between 0 and 500
            tests:
              - name: a large charge is denied
                tool: create_charge
                args: {amount: 1200, currency: EUR}
                expect: deny
                rule: large charges need finance review
              - tool: delete_record
                expect: hidden
            """
        )
        #expect(policy.rules.count == 1)
        #expect(policy.tests.map(\.name) == ["a large charge is denied", "test #2"])
        #expect(policy.tests[0].arguments == ["amount": 1200, "currency": "EUR"])
        #expect(policy.tests[0].rule == "large charges need finance review")
        #expect(policy.tests[1].expect == .hidden)
        #expect(policy.tests[1].position == SourcePosition(fileName: "test.yaml", line: 19, column: 5))
    }

    @Test("a minimal policy gets the documented defaults")
    func defaults() {
        let policy = load("version: 1")
        #expect(policy.defaultAction == .allow)
        #expect(policy.hide.isEmpty)
        #expect(policy.rules.isEmpty)
        #expect(policy.tests.isEmpty)
        #expect(policy.failMode == .closed)
        #expect(policy.audit == AuditSettings(arguments: .hash, redact: []))
        #expect(policy.categories.isEmpty)
        #expect(policy.fileName == "test.yaml")
    }

    @Test("rules without a name are called `rule #N`, counting from 1")
    func unnamedRules() {
        let policy = load(
            """
            version: 1
            rules:
              - tool: a
                action: deny
              - name: second
                tool: b
                action: deny
              - tool: c
                action: allow
            """
        )
        #expect(policy.rules.map(\.name) == ["rule #1", "second", "rule #3"])
    }

    @Test("top-level settings: default, fail, audit and categories")
    func topLevelSettings() throws {
        let policy = load(
            """
            version: 1
            default: deny
            fail: open
            audit: {args: redact, redact: [args.token, "args.card.number"]}
            categories: {cleanup: destructive, reindex: execute}
            """
        )
        #expect(policy.defaultAction == .deny)
        #expect(policy.failMode == .open)
        #expect(policy.audit.arguments == .redact)
        #expect(policy.audit.redact.map(\.description) == ["args.token", "args.card.number"])
        #expect(policy.categories == ["cleanup": .destructive, "reindex": .execute])
        #expect(policy.category(of: "cleanup") == .destructive)
        #expect(policy.category(of: "get_user") == .read)
    }

    @Test(
        "selectors take one name or a list of names and globs",
        arguments: [
            ("tool: create_charge", ["create_charge"]),
            ("tool: [a, \"b_*\"]", ["a", "b_*"]),
            ("agent: [\"ci-*\", ops]", ["ci-*", "ops"]),
            ("server: billing", ["billing"]),
        ]
    )
    func selectors(line: String, expected: [String]) {
        let rule = load("version: 1\nrules:\n  - \(line)\n    action: deny\n").rules.first
        let selected = line.hasPrefix("tool") ? rule?.tools : line.hasPrefix("agent") ? rule?.agents : rule?.servers
        #expect(selected == expected)
    }

    @Test(
        "durations accept bare seconds and units from ms to days",
        arguments: [
            ("60", Duration.seconds(60)), ("1.5", .milliseconds(1500)), ("500ms", .milliseconds(500)), ("30s", .seconds(30)),
            ("5m", .seconds(300)), ("1h", .seconds(3600)), ("1d", .seconds(86_400)), ("\"2m\"", .seconds(120)),
        ]
    )
    func durations(text: String, expected: Duration) {
        let policy = load("version: 1\nrules:\n  - rate_limit: {max: 1, window: \(text)}\n")
        #expect(policy.rules.first?.rateLimit?.window == expected)
    }

    @Test("approval settings default to a 5 minute timeout and read approvers")
    func approvalSettings() {
        let policy = load(
            """
            version: 1
            rules:
              - tool: a
                action: require_approval
              - tool: b
                action: require_approval
                approval: {timeout: 90s, approvers: [alice, bob]}
            """
        )
        #expect(policy.rules[0].approval == nil)
        #expect(ApprovalSettings().timeout == .seconds(300))
        #expect(policy.rules[1].approval == ApprovalSettings(timeout: .seconds(90), approvers: ["alice", "bob"]))
    }

    @Test("in-band approval by the client is off unless a rule says `ask_client: true`")
    func askClient() {
        let policy = load(
            """
            version: 1
            rules:
              - tool: a
                action: require_approval
              - tool: b
                action: require_approval
                approval: {timeout: 90s}
              - tool: c
                action: require_approval
                approval: {ask_client: true}
              - tool: d
                action: require_approval
                approval: {ask_client: false, approvers: [alice]}
            """
        )
        #expect(ApprovalSettings().askClient == false)
        #expect(policy.rules[1].approval?.askClient == false)
        #expect(policy.rules[2].approval == ApprovalSettings(askClient: true))
        #expect(policy.rules[3].approval == ApprovalSettings(approvers: ["alice"], askClient: false))
    }

    @Test(
        "a mistake in `ask_client` is reported with its position, and a misspelt key with the right one",
        arguments: [
            (
                "version: 1\nrules:\n  - tool: x\n    action: require_approval\n    approval: {ask_client: yes}\n",
                "test.yaml:5:28: `ask_client` must be `true` or `false`, not the text `yes`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    action: require_approval\n    approval: {ask_client: \"true\"}\n",
                "test.yaml:5:28: `ask_client` must be `true` or `false`, not the text `true`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    action: require_approval\n    approval: {ask_clinet: true}\n",
                "test.yaml:5:16: unknown key `ask_clinet` in `approval`; did you mean `ask_client`?"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    action: require_approval\n    approval: {elicit: true}\n",
                "test.yaml:5:16: unknown key `elicit` in `approval`; did you mean `ask_client`?"
            ),
        ] as [(String, String)]
    )
    func askClientMistakes(yaml: String, expected: String) {
        #expect(loadErrors(yaml) == [expected])
    }

    @Test("redact paths take `[*]` for every element; a path that is not an argument path is reported with its position")
    func redactWildcards() {
        let policy = load("version: 1\naudit: {redact: [\"args.cards[*].number\", args.Password, \"args.a[2][*]\"]}\n")
        #expect(policy.audit.arguments == .redact)
        #expect(policy.audit.redact.map(\.description) == ["args.cards[*].number", "args.Password", "args.a[2][*]"])
        #expect(policy.audit.redact[0].steps == [.key("cards"), .anyIndex, .key("number")])
        #expect(policy.audit.redact[2].steps == [.key("a"), .index(2), .anyIndex])
        #expect(
            loadErrors("version: 1\naudit: {redact: [\"args.cards[x]\"]}\n")
                == ["test.yaml:2:18: path `args.cards[x]` has index `[x]`; an index is a whole number ≥ 0, like `[0]`"]
        )
        #expect(
            loadErrors("version: 1\naudit: {redact: [agent.id]}\n")
                == ["test.yaml:2:18: `redact` lists argument paths; write `args.agent.id` or another path under `args`"]
        )
    }

    @Test(
        "plain scalars follow the YAML 1.2 core schema; quoted ones stay text",
        arguments: [
            ("5", JSONValue.number(JSONNumber(5))), ("\"5\"", .string("5")), ("'5'", .string("5")), ("-3", -3), ("2.5", 2.5),
            ("1e3", .number(JSONNumber(literal: "1e3"))), ("0x1F", 31), ("0o17", 15), ("+7", 7), (".5", 0.5),
            ("true", true), ("False", false), ("yes", "yes"), ("no", "no"), ("on", "on"), ("null", nil), ("~", nil),
            ("\"null\"", "null"), ("!!str 5", "5"), ("2024-01-01", "2024-01-01"), ("[1, \"1\"]", JSONValue.array([1, "1"])),
            ("{a: 1}", JSONValue.object(["a": 1])), ("s3://bucket/x", "s3://bucket/x"),
        ]
    )
    func scalarTyping(text: String, expected: JSONValue) throws {
        let policy = load("version: 1\nrules:\n  - when: {args.x: {eq: \(text)}}\n    action: deny\n")
        guard case .test(_, let test) = policy.rules.first?.condition else {
            Issue.record("expected a single test")
            return
        }
        #expect(test.operand == expected)
        if case .number(let number) = expected, case .number(let loaded) = test.operand {
            #expect(loaded.value == number.value)
        }
    }

    @Test("text tests read a plain scalar as the text it spells")
    func textOperandsFromPlainScalars() throws {
        let policy = load("version: 1\nrules:\n  - when: {args.year: {ends_with: 2024}}\n    action: deny\n")
        #expect(policy.rules.first?.condition == .test(try ValuePath(parsing: "args.year"), try ConditionTest(.endsWith, "2024")))
    }
}
