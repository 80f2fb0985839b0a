public import WardenJSON

extension Explanation {
    /// The explanation as JSON, for `warden explain --json` and other programs.
    ///
    /// `{"tool", "hidden", "decision": {"action", "rule", "ruleIndex", "reason", "matchedRules", "isDefault"},
    /// "rules": [{"index", "name", "position", "matched", "action", "why"}]}`; absent values are `null`.
    public var jsonValue: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func number(_ value: Int?) -> JSONValue { value.map { .number(JSONNumber($0)) } ?? .null }
        let decision: JSONValue = [
            "action": .string(decision.action.description),
            "rule": text(decision.rule),
            "ruleIndex": number(decision.ruleIndex),
            "reason": text(decision.reason),
            "matchedRules": .array(decision.matchedRules.map { .number(JSONNumber($0)) }),
            "isDefault": .bool(decision.isDefault),
        ]
        let rules: [JSONValue] = rules.map { trace in
            [
                "index": .number(JSONNumber(trace.ruleIndex)),
                "name": .string(trace.name),
                "position": .string(trace.position.description),
                "matched": .bool(trace.matched),
                "action": text(trace.action?.description),
                "why": .string(trace.why),
            ]
        }
        return ["tool": .string(tool), "hidden": .bool(isHidden), "decision": decision, "rules": .array(rules)]
    }
}
