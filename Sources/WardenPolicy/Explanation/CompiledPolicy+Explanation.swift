extension CompiledPolicy {
    /// The decision for `call` and, rule by rule, whether it matched and why not.
    public func explain(_ call: ToolCall) -> Explanation {
        let category = effectiveCategory(of: call) ?? policy.category(of: call.tool)
        var traces: [RuleTrace] = []
        for (index, rule) in policy.rules.enumerated() {
            let matched: Bool
            let why: String
            if let failure = selectorFailure(index, call, category: category, toolKnownToMatch: false) {
                matched = false
                why = describe(failure, of: rule, call: call, category: category)
            } else if let condition = rule.condition {
                let result = condition.explain(for: call, category: category)
                (matched, why) = (result.judgement.holds, result.why)
            } else {
                matched = true
                why =
                    rule.tools == nil && rule.agents == nil && rule.servers == nil && rule.categories == nil
                    ? "the rule has no selectors, so it applies to every call" : "its selectors match and it has no conditions"
            }
            traces.append(RuleTrace(ruleIndex: index, name: rule.name, position: rule.position, matched: matched, action: rule.action, why: why))
        }
        var withCategory = call
        withCategory.category = category
        return Explanation(
            tool: call.tool,
            isHidden: isHidden(call.tool),
            decision: decide(withCategory),
            defaultAction: policy.defaultAction,
            rules: traces
        )
    }

    private func describe(_ failure: SelectorFailure, of rule: Rule, call: ToolCall, category: ToolCategory?) -> String {
        func list(_ items: [String]) -> String { items.map { "`\($0)`" }.joined(separator: ", ") }
        switch failure {
        case .tool:
            return "tool `\(call.tool)` is not \(list(rule.tools ?? []))"
        case .agent:
            guard let agent = call.agentID else { return "the call has no agent id; the rule is for \(list(rule.agents ?? []))" }
            return "agent `\(agent)` is not \(list(rule.agents ?? []))"
        case .server:
            guard let server = call.server else { return "the call has no server name; the rule is for \(list(rule.servers ?? []))" }
            return "server `\(server)` is not \(list(rule.servers ?? []))"
        case .category:
            let wanted = list((rule.categories ?? []).map(\.description))
            guard let category else { return "the tool has no category; the rule is for \(wanted)" }
            return "category `\(category)` is not \(wanted)"
        }
    }
}
