import Testing
import WardenJSON
import WardenPolicy

/// Each Intercept fixture and its Warden conversion decide the same calls the same way, step by step, including the
/// rate limits and counters over a fake clock; where they cannot, the conversion has said why.
@Suite("Intercept policies converted to Warden decide the same calls the same way")
struct InterceptEquivalenceTests {
    typealias Step = InterceptFixture.Step

    @Test("hide, deny rules, rate_limit shorthand, not_in and the wildcard limit decide alike within and across minutes")
    func repositoryHost() throws {
        let fixture = try InterceptFixture("repository-host.yaml")
        fixture.expectSameDecisions([
            Step("rotate_deploy_keys", at: 0, .hidden),
            Step("remove_repository", at: 0, .deny),
            Step("open_issue", at: 1, .allow),
            Step("open_issue", at: 2, .allow),
            Step("open_issue", at: 3, .allow),
            Step("open_issue", at: 4, .deny),
            Step("merge_change", ["target": "main"], at: 5, .deny),
            Step("merge_change", ["target": "feature/x"], at: 6, .allow),
            Step("merge_change", ["target": "feature/y"], at: 7, .allow),
            Step("merge_change", ["target": "dev"], at: 8, .deny),
            Step("search_code", at: 9, .deny),
            Step("search_code", at: 70, .allow),
            Step("merge_change", [:], at: 71, .deny),
            Step("merge_change", ["target": "feature/z"], at: 72, .allow),
            Step("merge_change", ["target": 7], at: 73, .allow),
        ])
    }

    @Test("a limit filled late in an hour: the new hour frees it in Intercept but not in Warden's sliding window, as reported")
    func calendarRollover() throws {
        let fixture = try InterceptFixture("repository-host.yaml")
        fixture.expectSameDecisions([
            Step("open_issue", at: 3_500, .allow),
            Step("open_issue", at: 3_510, .allow),
            Step("open_issue", at: 3_520, .allow),
            Step("open_issue", at: 3_530, .deny),
            Step("open_issue", at: 3_610, .allow, differs: .calendarWindow),
            Step("open_issue", at: 7_210, .allow),
            Step("open_issue", at: 7_220, .allow),
            Step("open_issue", at: 7_230, .allow),
            Step("open_issue", at: 7_240, .deny),
            Step("open_issue", at: 90_000, .allow),
        ])
    }

    @Test("not_in on an argument sent as null: Intercept lets it pass, Warden denies it, as reported")
    func nullArgument() throws {
        let fixture = try InterceptFixture("repository-host.yaml")
        fixture.expectSameDecisions([
            Step("merge_change", ["target": nil], at: 0, .allow, differs: .nullArgument)
        ])
    }

    @Test("numeric caps refuse numbers sent as strings and missing amounts; the daily total counts increment_from amounts")
    func payments() throws {
        let fixture = try InterceptFixture("payments.yaml")
        fixture.expectSameDecisions([
            Step("charge_card", ["amount": 200, "currency": "usd"], at: 0, .allow),
            Step("charge_card", ["amount": 600, "currency": "usd"], at: 60, .deny),
            Step("charge_card", ["amount": "100", "currency": "usd"], at: 120, .deny),
            Step("charge_card", ["amount": 300, "currency": "gbp"], at: 180, .deny),
            Step("charge_card", ["currency": "usd"], at: 240, .deny),
            Step("charge_card", ["amount": 500, "currency": "eur"], at: 300, .allow),
            Step("charge_card", ["amount": 300, "currency": "usd"], at: 360, .allow),
            Step("charge_card", ["amount": 1, "currency": "usd"], at: 420, .deny),
            Step("charge_card", ["amount": 0, "currency": "usd"], at: 480, .allow),
            Step("charge_card", ["amount": 400, "currency": "usd"], at: 86_400 + 600, .allow),
            Step("close_account", at: 86_400 + 660, .deny),
        ])
    }

    @Test("an increment_from amount with a fraction: Intercept drops the fraction, Warden counts it, as reported")
    func fractionalAmount() throws {
        let fixture = try InterceptFixture("payments.yaml")
        fixture.expectSameDecisions([
            Step("charge_card", ["amount": 490, "currency": "usd"], at: 0, .allow),
            Step("charge_card", ["amount": 500, "currency": "usd"], at: 60, .allow),
            Step("charge_card", ["amount": 10.5, "currency": "usd"], at: 120, .allow, differs: .amountRounding),
        ])
    }

    @Test("a fixed increment of 3 under a limit of 7 admits two calls an hour; nested arguments must be real objects")
    func refunds() throws {
        let fixture = try InterceptFixture("payments.yaml")
        let fraud: JSONValue = ["details": ["reason": "fraud, card stolen"]]
        fixture.expectSameDecisions([
            Step("refund_charge", ["details": ["reason": "duplicate charge"]], at: 0, .allow),
            Step("refund_charge", ["details": ["reason": "because"]], at: 60, .deny),
            Step("refund_charge", ["details": "{\"reason\": \"fraud\"}"], at: 120, .deny),
            Step("refund_charge", ["details": ["reason": 5]], at: 180, .deny),
            Step("refund_charge", [:], at: 240, .deny),
            Step("refund_charge", fraud, at: 300, .allow),
            Step("refund_charge", fraud, at: 360, .deny),
            Step("refund_charge", fraud, at: 3_600 + 400, .allow),
        ])
    }

    @Test("contains matches substrings and list elements; neq denies a missing argument")
    func tags() throws {
        let fixture = try InterceptFixture("payments.yaml")
        fixture.expectSameDecisions([
            Step("tag_customer", ["tags": ["vip", "new"], "note": "hello"], at: 0, .allow),
            Step("tag_customer", ["tags": ["new"], "note": "x"], at: 60, .deny),
            Step("tag_customer", ["tags": "a vip customer", "note": "x"], at: 120, .allow),
            Step("tag_customer", ["tags": ["vip"]], at: 180, .deny),
            Step("tag_customer", ["tags": ["vip"], "note": "test"], at: 240, .deny),
            Step("tag_customer", ["tags": [1, "vip"], "note": 3], at: 300, .allow),
        ])
    }

    @Test("the wildcard counter admits eight calls a minute across all tools, and the next minute admits more")
    func wildcardCounter() throws {
        let fixture = try InterceptFixture("payments.yaml")
        var steps = (0..<8).map { Step("list_customers", at: Int64($0), .allow) }
        steps.append(Step("list_customers", at: 8, .deny))
        steps.append(Step("refund_charge", ["details": ["reason": "requested"]], at: 9, .deny))
        steps.append(Step("list_customers", at: 61, .allow))
        fixture.expectSameDecisions(steps)
    }

    @Test("default deny: listed tools pass, others are refused, hidden stays hidden, and eq compares as Intercept's Go does")
    func allowlist() throws {
        let fixture = try InterceptFixture("allowlist.yaml")
        fixture.expectSameDecisions([
            Step("read_rows", at: 0, .allow),
            Step("unknown_tool", at: 60, .deny),
            Step("drop_table", at: 120, .hidden),
            Step("write_rows", ["count": 50, "dry_run": false], at: 180, .allow),
            Step("write_rows", ["count": 50, "dry_run": "false"], at: 240, .allow),
            Step("write_rows", ["count": 50, "dry_run": 0], at: 300, .deny),
            Step("write_rows", ["count": 150, "dry_run": false], at: 360, .deny),
            Step("write_rows", ["count": "50", "dry_run": false], at: 390, .deny),
            Step("set_flag", ["level": 5, "mode": "true"], at: 420, .allow),
            Step("set_flag", ["level": "5", "mode": "true"], at: 480, .allow),
            Step("set_flag", ["level": 5.0, "mode": true], at: 540, .allow),
            Step("set_flag", ["level": "5.0", "mode": "true"], at: 600, .deny),
            Step("set_flag", ["level": 5, "mode": "yes"], at: 660, .deny),
            Step("set_flag", ["level": true, "mode": "true"], at: 720, .deny),
        ])
    }

    @Test("under default deny the wildcard limit counts listed tools only")
    func allowlistBurst() throws {
        let fixture = try InterceptFixture("allowlist.yaml")
        fixture.expectSameDecisions([
            Step("unknown_tool", at: 1_000, .deny),
            Step("read_rows", at: 1_001, .allow),
            Step("read_rows", at: 1_002, .allow),
            Step("unknown_tool", at: 1_003, .deny),
            Step("read_rows", at: 1_004, .allow),
            Step("set_flag", ["level": 5, "mode": "true"], at: 1_005, .allow),
            Step("read_rows", at: 1_006, .deny),
            Step("read_rows", at: 1_070, .allow),
        ])
    }

    @Test("counters: one never counted reads 0; reading another rule's live counter fails closed, as reported")
    func quirks() throws {
        let fixture = try InterceptFixture("quirks.yaml")
        fixture.expectSameDecisions([
            Step("send_mail", at: 0, .deny),
            Step("archive_note", at: 10, .allow),
            Step("archive_note", at: 20, .allow),
            Step("archive_note", at: 30, .deny),
            Step("post_note", ["text": "hi", "priority": "2"], at: 40, .deny),
            Step("post_note", ["text": "hi", "priority": 1], at: 50, .allow, differs: .failClosed),
            Step("classify_ticket", ["kind": "bug"], at: 60, .deny),
            Step("classify_ticket", [:], at: 70, .deny),
        ])
        #expect(fixture.conversion.notes.contains { $0.kind == .ignoredKey && $0.position.line == 2 })
    }

    @Test("a nested increment_from amount counts only when sent as a number inside a real object")
    func nestedAmount() throws {
        let fixture = try InterceptFixture("quirks.yaml")
        fixture.expectSameDecisions([
            Step("upload_file", ["size": ["bytes": 400]], at: 0, .allow),
            Step("upload_file", ["size": ["bytes": "400"]], at: 10, .deny),
            Step("upload_file", [:], at: 20, .deny),
            Step("upload_file", ["size": "{\"bytes\": 1}"], at: 30, .deny),
            Step("upload_file", ["size": ["bytes": nil]], at: 40, .deny),
            Step("upload_file", ["size": ["bytes": 600]], at: 50, .allow),
            Step("upload_file", ["size": ["bytes": 1]], at: 60, .deny),
            Step("upload_file", ["size": ["bytes": 0]], at: 70, .allow),
            Step("upload_file", ["size": ["bytes": 1000]], at: 3_700, .allow),
        ])
    }
}
