import Testing
import WardenJSON
import WardenPolicy

struct PolicyTestRunnerTests {
    let policy = compile(
        """
        version: 1
        hide: ["delete_*"]
        rules:
          - name: exports go to the approved bucket only
            tool: start_export_job
            when: {args.destination_uri: {not_starts_with: "s3://approved/"}}
            action: deny
          - name: ops may run jobs
            tool: run_job
            agent: ["ops-*"]
            action: allow
          - name: jobs need approval
            tool: run_job
            action: require_approval
        tests:
          - name: approved bucket is allowed
            tool: start_export_job
            args: {destination_uri: "s3://approved/q3"}
            expect: allow
          - name: other bucket is denied by the export rule
            tool: start_export_job
            args: {destination_uri: "s3://evil/q3"}
            expect: deny
            rule: exports go to the approved bucket only
          - name: deletes are hidden
            tool: delete_all
            expect: hidden
          - name: wrong expectation
            tool: start_export_job
            expect: allow
          - name: wrong rule
            tool: run_job
            agent: ops-1
            expect: require_approval
            rule: ops may run jobs
          - name: hidden expected but decided
            tool: start_export_job
            expect: hidden
          - name: action expected but hidden
            tool: delete_all
            expect: deny
          - name: groups and agents reach the call
            tool: run_job
            agent: dev
            groups: [ops]
            expect: require_approval
        """
    )

    @Test("each test passes or fails with a message that says what happened")
    func results() {
        let results = PolicyTestRunner.run(policy, at: Timestamp(secondsSinceEpoch: 0))
        #expect(results.map(\.testCase.name) == policy.policy.tests.map(\.name))
        #expect(results.map(\.passed) == [true, true, true, false, false, false, false, true])
        #expect(
            results.map(\.message) == [
                "allow (default)",
                "deny by rule \"exports go to the approved bucket only\"",
                "hidden",
                "expected allow, got deny by rule \"exports go to the approved bucket only\"",
                "expected require_approval by rule \"ops may run jobs\", got require_approval by rule \"jobs need approval\"",
                "expected hidden, got deny by rule \"exports go to the approved bucket only\"",
                "expected deny, but `delete_all` is hidden by the policy's `hide` list",
                "require_approval by rule \"jobs need approval\"",
            ]
        )
        #expect(results[2].decision == nil)
        #expect(results[1].decision?.ruleIndex == 0)
    }

    @Test("test cases carry their position and the call they describe")
    func testCases() {
        let tests = policy.policy.tests
        #expect(tests[0].position == SourcePosition(fileName: "test.yaml", line: 16, column: 5))
        #expect(tests[0].arguments == ["destination_uri": "s3://approved/q3"])
        #expect(tests[2].arguments == [:])
        #expect(tests[7].agentID == "dev")
        #expect(tests[7].agentGroups == ["ops"])
    }
}
