import Testing
import WardenPolicy

struct ModelTests {
    @Test("actions are ordered by strictness and spelled as in policy files")
    func actions() {
        #expect(Action.allow < .requireApproval && Action.requireApproval < .deny)
        #expect([Action.deny, .allow, .requireApproval].max() == .deny)
        #expect(Action.all.map(\.description) == ["allow", "require_approval", "deny"])
        #expect(Action(name: "require_approval") == .requireApproval)
        #expect(Action(name: "block") == nil)
    }

    @Test("limit scopes, fail modes and audit modes are spelled as in policy files")
    func spellings() {
        #expect(LimitScope.all.map(\.description) == ["session", "agent", "tool", "global"])
        #expect(RateLimit(max: 1, window: .seconds(1)).per == .session)
        #expect(FailMode(name: "open") == .open)
        #expect(FailMode.closed.description == "closed")
        #expect(AuditSettings.ArgumentMode.all.map(\.description) == ["hash", "full", "redact"])
        #expect(PolicyError.Code.unknownTest.description == "unknownTest")
    }

    @Test("errors and positions print as `file:line:col: message`")
    func errorDescription() {
        let error = PolicyError(
            code: .unknownTest,
            position: SourcePosition(fileName: "policy.yaml", line: 12, column: 7),
            message: "unknown test `less_than`; did you mean `lt`?"
        )
        #expect(error.description == "policy.yaml:12:7: unknown test `less_than`; did you mean `lt`?")
    }
}
