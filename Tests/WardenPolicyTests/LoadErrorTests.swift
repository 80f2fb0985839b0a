import Testing
import WardenPolicy

struct LoadErrorTests {
    @Test(
        "each mistake is reported at its line and column with the fix",
        arguments: [
            ("version: 1\nruls: []\n", "test.yaml:2:1: unknown key `ruls` in the policy; did you mean `rules`?"),
            ("version: 2\n", "test.yaml:1:10: policy version 2 is not supported; this Warden reads `version: 1`"),
            ("description: x\n", "test.yaml:1:1: missing `version: 1` at the top of the policy file"),
            ("", "test.yaml:1:1: the policy file is empty; start it with `version: 1`"),
            ("- a\n- b\n", "test.yaml:1:1: the policy file must be a map of `key: value` lines, not a list"),
            (
                "version: 1\nrules:\n  - tool: x\n    when:\n      args.amount: {less_than: 5}\n    action: deny\n",
                "test.yaml:5:21: unknown test `less_than`; did you mean `lt`?"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {args.a: {startswith: s3}}\n    action: deny\n",
                "test.yaml:4:21: unknown test `startswith`; did you mean `starts_with`?"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    rate_limit: {max: 10, window: 5x}\n",
                "test.yaml:4:35: window `5x` is not a duration; write seconds (60) or 30s, 5m, 1h, 1d"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    rate_limit: {max: 1.5, window: 1}\n",
                "test.yaml:4:23: `max` must be a whole number > 0; it is `1.5`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    rate_limit: {max: ten, window: 1}\n",
                "test.yaml:4:23: `max` must be a whole number > 0; it is `ten`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    rate_limit: {window: 1}\n",
                "test.yaml:4:17: `rate_limit` needs `max`, the number of calls allowed per window"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    rate_limit: {max: 1, window: 1, per: user}\n",
                "test.yaml:4:42: `per` is `user`; did you mean `agent`?"
            ),
            ("version: 1\nrules:\n  - tool: x\n    action: block\n", "test.yaml:4:13: `action` is `block`; did you mean `deny`?"),
            ("version: 1\nrules:\n  - tool: x\n    action: alow\n", "test.yaml:4:13: `action` is `alow`; did you mean `allow`?"),
            ("version: 1\nrules:\n  - tool: x\n    action: [deny]\n", "test.yaml:4:13: `action` must be text, not a list"),
            (
                "version: 1\nrules:\n  - name: a\n    action: deny\n  - name: a\n    action: deny\n",
                "test.yaml:5:11: rule name \"a\" is already used at line 3; give each rule its own name"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n",
                "test.yaml:3:5: rule \"rule #1\" does nothing; give it an `action` (allow, deny or require_approval), a `rate_limit` or a `budget`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {argz.a: 1}\n    action: deny\n",
                "test.yaml:4:12: unknown path `argz.a`; did you mean `args`?"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {agent.name: bob}\n    action: deny\n",
                "test.yaml:4:12: unknown path `agent.name`; `agent` has `agent.id`, `agent.groups`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {time.hours: 3}\n    action: deny\n",
                "test.yaml:4:12: unknown path `time.hours`; did you mean `time.hour`?"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when:\n      args.items[x]: 3\n    action: deny\n",
                "test.yaml:5:7: path `args.items[x]` has index `[x]`; an index is a whole number ≥ 0, like `[0]`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {anny: []}\n    action: deny\n",
                "test.yaml:4:12: unknown condition `anny`; did you mean `any`?"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {eq: 5}\n    action: deny\n",
                "test.yaml:4:12: `eq` is a test, not a path; write `args.NAME: {eq: …}`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {any: {args.a: 1}}\n    action: deny\n",
                "test.yaml:4:17: `any` takes a list of conditions, each starting with `- `, not a map"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {args.a: {matches: \"(\"}}\n    action: deny\n",
                "test.yaml:4:30: `matches` pattern \"(\" is not a valid regular expression: expected ')'"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {args.a: {exists: maybe}}\n    action: deny\n",
                "test.yaml:4:29: `exists` needs `true` or `false`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {args.a: {gt: [1]}}\n    action: deny\n",
                "test.yaml:4:25: `gt` needs a number (or a string, compared alphabetically)"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    when: {}\n    action: deny\n",
                "test.yaml:4:11: the condition is empty; add a test like `args.NAME: {eq: VALUE}`, or remove it"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    catgory: execute\n    action: deny\n",
                "test.yaml:4:5: unknown key `catgory` in a rule; did you mean `category`?"
            ),
            ("version: 1\nrules:\n  - tools: x\n    action: deny\n", "test.yaml:3:5: unknown key `tools` in a rule; did you mean `tool`?"),
            (
                "version: 1\nrules:\n  - tool: x\n    category: exec\n    action: deny\n",
                "test.yaml:4:15: unknown category `exec`; did you mean `execute`?"
            ),
            (
                "version: 1\nrules:\n  - tool: []\n    action: deny\n",
                "test.yaml:3:11: `tool` is an empty list, which matches nothing; list at least one name or leave `tool` out"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    action: allow\n    approval: {timeout: 5m}\n",
                "test.yaml:5:5: `approval` applies only to `action: require_approval`; add that action or remove `approval`"
            ),
            (
                "version: 1\nrules:\n  - tool: x\n    budget: {sum: args.amount, max: 10}\n",
                "test.yaml:4:13: `budget` needs `window`, like `window: 1d`"
            ),
            ("version: 1\nrules: {a: 1}\n", "test.yaml:2:8: `rules` must be a list of rules, each starting with `- `, not a map"),
            ("version: 1\ntests:\n  - tool: x\n    expect: denied\n", "test.yaml:4:13: `expect` is `denied`; did you mean `deny`?"),
            ("version: 1\ntests:\n  - tool: x\n", "test.yaml:3:5: test \"test #1\" needs `expect`: allow, deny, require_approval or hidden"),
            (
                "version: 1\nrules:\n  - name: block exports\n    action: deny\ntests:\n  - tool: x\n    expect: deny\n    rule: block export\n",
                "test.yaml:8:11: no rule is named \"block export\"; did you mean \"block exports\"?"
            ),
            ("version: 1\nfail: maybe\n", "test.yaml:2:7: `fail` is `maybe`; write one of `closed`, `open`"),
            ("version: 1\ncategories: {a: destructve}\n", "test.yaml:2:17: `a` is `destructve`; did you mean `destructive`?"),
            (
                "version: 1\naudit: {args: full, redact: [args.token]}\n",
                "test.yaml:2:21: `redact` applies only with `args: redact`; change `args: full` or remove `redact`"
            ),
            (
                "version: 1\naudit: {redact: [token]}\n",
                "test.yaml:2:18: `redact` lists argument paths; write `args.token` or another path under `args`"
            ),
        ]
    )
    func reportsMistake(yaml: String, expected: String) {
        #expect(loadErrors(yaml) == [expected])
    }

    @Test("a YAML syntax error is a policy error with the position libyaml reports")
    func syntaxError() {
        let failures = loadFailures("version: 1\nrules:\n  - tool: x\n    action: deny\n   bad: 1\n")
        #expect(failures.count == 1)
        #expect(failures.first?.code == .syntax)
        #expect(failures.first?.position == SourcePosition(fileName: "test.yaml", line: 5, column: 4))
        #expect(failures.first?.message.hasPrefix("not valid YAML: did not find expected '-' indicator") == true)
    }

    @Test("a key written twice in one map is a syntax error")
    func duplicateKey() {
        let failures = loadFailures("version: 1\nrules: []\nversion: 1\n")
        #expect(failures.map(\.code) == [.syntax])
        #expect(failures.first?.message == "duplicate key `version` in one map; each key may appear only once")
    }

    @Test("every error in the file is reported, in file order, not just the first")
    func collectsEveryError() {
        let yaml = """
            version: 1
            defualt: deny
            rules:
              - name: a
                tool: x
                when:
                  args.amount: {less_than: 5, gt: "x", type: strng}
                action: deny
              - name: a
                rate_limit: {max: 0, window: 5x}
              - tool: y
            tests:
              - tool: x
                expect: allowed
            """
        #expect(
            loadErrors(yaml) == [
                "test.yaml:2:1: unknown key `defualt` in the policy; did you mean `default`?",
                "test.yaml:7:21: unknown test `less_than`; did you mean `lt`?",
                "test.yaml:7:50: unknown type `strng`; did you mean `string`?",
                "test.yaml:9:11: rule name \"a\" is already used at line 4; give each rule its own name",
                "test.yaml:10:23: `max` must be a whole number > 0; it is `0`",
                "test.yaml:10:34: window `5x` is not a duration; write seconds (60) or 30s, 5m, 1h, 1d",
                "test.yaml:11:5: rule \"rule #3\" does nothing; give it an `action` (allow, deny or require_approval), a `rate_limit` or a `budget`",
                "test.yaml:14:13: `expect` is `allowed`; did you mean `allow`?",
            ]
        )
    }

    @Test(
        "errors carry stable codes that tools can match on",
        arguments: [
            ("version: 1\nx: 1\n", PolicyError.Code.unknownKey),
            ("version: 1\nrules:\n  - when: {args.a: {lessthan: 1}}\n    action: deny\n", .unknownTest),
            ("version: 1\nrules:\n  - when: {args.a: {matches: \"[\"}}\n    action: deny\n", .badPattern),
            ("version: 1\nrules:\n  - when: {arg.a: 1}\n    action: deny\n", .badPath),
            ("version: 1\nrules: 5\n", .wrongType),
            ("version: 3\n", .unsupportedVersion),
            ("version: 1\nrules:\n  - name: a\n    action: deny\n  - name: a\n    action: deny\n", .duplicateName),
            ("version: 1\ntests:\n  - tool: a\n    expect: deny\n    rule: missing\n", .unknownRule),
            ("version: 1\nrules:\n  - tool: a\n", .missingKey),
            ("version: 1\ndefault: maybe\n", .badValue),
            ("version: 1\n  bad: [\n", .syntax),
        ]
    )
    func codes(yaml: String, code: PolicyError.Code) {
        #expect(loadFailures(yaml).map(\.code) == [code])
    }

    @Test("the load error prints one `file:line:col: message` line per error")
    func loadErrorDescription() {
        do {
            _ = try PolicyLoader.load(yaml: "version: 1\nruls: []\ndefualt: deny\n", fileName: "p.yaml")
            Issue.record("the policy loaded")
        } catch {
            #expect(
                error.description == """
                    p.yaml:2:1: unknown key `ruls` in the policy; did you mean `rules`?
                    p.yaml:3:1: unknown key `defualt` in the policy; did you mean `default`?
                    """
            )
        }
    }
}
