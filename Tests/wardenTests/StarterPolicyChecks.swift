import Foundation
import Testing
import WardenJSON
import WardenPolicy
import WardenProxy
import WardenTesting

@testable import warden

/// What every starter-policy test checks: the text loads, its own tests pass, and calls get what the category says.
enum StarterPolicyChecks {
    static let defaults: [Action] = [.allow, .deny]

    static func assessment(
        _ name: String,
        _ category: ToolCategory,
        _ severity: ToolSeverity = .medium,
        destinations: [String] = [],
        evidence: [ToolEvidence]? = nil
    ) -> ToolAssessment {
        ToolAssessment(
            name: name,
            category: category,
            severity: severity,
            evidence: evidence ?? [ToolEvidence(source: .name, text: name, meaning: "constructed as \(category)")],
            description: nil,
            destinationArguments: destinations
        )
    }

    /// Loads the text with the policy loader, recording every error.
    static func load(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Policy {
        do {
            return try PolicyLoader.load(yaml: yaml, fileName: "starter.yaml")
        } catch {
            Issue.record("the starter policy does not load: \(error)\n\(yaml)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// Runs the policy's own `tests:` in process and records each failure.
    static func expectTestsPass(_ policy: Policy, sourceLocation: SourceLocation = #_sourceLocation) {
        let results = PolicyTestRunner.run(CompiledPolicy(policy), at: Timestamp(secondsSinceEpoch: 1_800_000_000))
        #expect(!results.isEmpty, sourceLocation: sourceLocation)
        for result in results where !result.passed {
            Issue.record("test \"\(result.testCase.name)\" failed: \(result.message)", sourceLocation: sourceLocation)
        }
    }

    /// The decision for a call to `tool` with the arguments the generated test used, or none.
    static func decide(_ policy: Policy, _ tool: String, arguments: JSONValue = .object(JSONObject())) -> Decision {
        CompiledPolicy(policy).decide(ToolCall(tool: tool, arguments: arguments, agentID: "a1", time: Timestamp(secondsSinceEpoch: 0)))
    }

    /// The action a starter policy gives a listed tool of `category`.
    static func expectedAction(for category: ToolCategory) -> Action {
        category == .destructive || category == .financial ? .requireApproval : .allow
    }

    /// The rule that decides a listed tool of `category`.
    static func expectedRule(for category: ToolCategory) -> String {
        switch category {
        case .destructive: StarterPolicy.destructiveRule
        case .financial: StarterPolicy.financialRule
        case .execute: StarterPolicy.executeRule
        case .write: StarterPolicy.writeRule
        default: StarterPolicy.readRule
        }
    }

    /// Checks that every tool gets its category's action from its category's rule, and an unseen tool the default.
    static func expectDecisions(
        _ policy: Policy,
        _ assessments: [ToolAssessment],
        default defaultAction: Action,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for assessment in assessments {
            let decision = decide(policy, assessment.name)
            #expect(decision.action == expectedAction(for: assessment.category), "\(assessment.name)", sourceLocation: sourceLocation)
            #expect(decision.rule == expectedRule(for: assessment.category), "\(assessment.name)", sourceLocation: sourceLocation)
        }
        let unseen = decide(policy, "a_tool_nobody_listed")
        #expect(unseen.action == defaultAction, sourceLocation: sourceLocation)
        #expect(unseen.rule == nil, sourceLocation: sourceLocation)
    }

    /// How many of `count` calls to `tool` by one agent, a tenth of a second apart, the policy allows and its limits admit.
    static func admittedCalls(_ policy: Policy, tool: String, count: Int, agent: String = "a1") throws -> Int {
        let compiled = CompiledPolicy(policy)
        let time = FakeTime(start: Timestamp(secondsSinceEpoch: 1_800_000_000))
        var ledger = LimitLedger()
        var admitted = 0
        for _ in 0..<count {
            let call = ToolCall(tool: tool, arguments: .object(JSONObject()), agentID: agent, server: "s", time: time.now())
            let decision = compiled.decide(call)
            let plan = try LimitPlan.make(for: call, decision: decision, policy: policy)
            if decision.action == .allow, case .admitted(let id) = ledger.reserve(plan.requests, at: time.now()) {
                ledger.forwarded(id, at: time.now())
                ledger.commit(id)
                admitted += 1
            }
            time.sleep(.milliseconds(100))
        }
        return admitted
    }

    /// Writes the policy to a file and runs `warden validate` and `warden test` on it, as a user would.
    static func expectExecutableAccepts(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("starter.yaml", yaml)
        for command in ["validate", "test"] {
            let process = try RunningProcess([WardenExecutable.path, command, path], keeping: [directory])
            var output = ""
            while let line = try process.readLine(timeout: .seconds(30)) { output += line + "\n" }
            let status = try process.waitForExit(timeout: .seconds(60))
            #expect(status == 0, "warden \(command): \(output)\(process.standardError)", sourceLocation: sourceLocation)
        }
    }
}
