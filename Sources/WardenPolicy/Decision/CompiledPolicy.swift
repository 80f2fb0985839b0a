import WardenJSON
/// A policy prepared for deciding calls: names indexed, globs and patterns compiled, nothing left to parse.
///
/// Built once per load (and per reload) and then shared by every session; `decide` only compares, looks up and
/// walks prepared lists, so it costs about a microsecond for a policy of dozens of rules.
public struct CompiledPolicy: Sendable {
    /// A rule's selectors, prepared for matching.
    struct CompiledRule: Sendable {
        let tools: NameMatcher?
        let agents: NameMatcher?
        let servers: NameMatcher?
        let categories: [ToolCategory]?
        let condition: Condition?
        let action: Action?
    }

    public let policy: Policy
    let rules: [CompiledRule]
    /// Rules that name the tool exactly, by tool name, in file order.
    let rulesByTool: [ScalarKey: [Int]]
    /// Rules with no tool selector at all, in file order; these are checked for every call.
    let untargetedRules: [Int]
    /// Rules with a tool glob, filed under each glob's literal prefix.
    let globIndex: PrefixIndex
    /// Rules whose tool selector contains a glob (they may also be in `rulesByTool`).
    let globRules: Set<Int>
    let hidden: NameMatcher
    /// Whether any rule reads the category, so a call without one only pays for classifying when it must.
    let needsCategory: Bool

    public init(_ policy: Policy) {
        self.policy = policy
        var rules: [CompiledRule] = []
        var rulesByTool: [ScalarKey: [Int]] = [:]
        var untargetedRules: [Int] = []
        var globIndex = PrefixIndex()
        var globRules: Set<Int> = []
        var needsCategory = false
        for (index, rule) in policy.rules.enumerated() {
            let tools = rule.tools.map(NameMatcher.init)
            rules.append(
                CompiledRule(
                    tools: tools,
                    agents: rule.agents.map(NameMatcher.init),
                    servers: rule.servers.map(NameMatcher.init),
                    categories: rule.categories,
                    condition: rule.condition,
                    action: rule.action
                )
            )
            if let tools {
                for name in tools.exact { rulesByTool[name, default: []].append(index) }
                if !tools.globs.isEmpty {
                    globRules.insert(index)
                    for prefix in Set(tools.globs.map { String(String.UnicodeScalarView($0.literalPrefix)) }) {
                        globIndex.insert(Array(prefix.unicodeScalars), value: index)
                    }
                }
            } else {
                untargetedRules.append(index)
            }
            if rule.categories != nil || (rule.condition.map(Self.readsCategory) ?? false) { needsCategory = true }
        }
        self.rules = rules
        self.rulesByTool = rulesByTool
        self.untargetedRules = untargetedRules
        self.globIndex = globIndex
        self.globRules = globRules
        self.hidden = NameMatcher(policy.hide)
        self.needsCategory = needsCategory
    }

    /// Whether `tool` is hidden: left out of `tools/list`, and refused as unknown when called anyway.
    public func isHidden(_ tool: String) -> Bool {
        hidden.matches(tool)
    }

    /// The decision for `call`: the strictest action among matching rules, or the default when none sets one.
    ///
    /// A rule whose condition cannot be judged (a value too long for `matches`, JSON in a string that cannot be
    /// read) makes the call a deny, reported with that rule's name and the reason, unless a rule denies it anyway.
    /// Does not check `isHidden`; the caller does that first, because a hidden tool gets a different answer.
    public func decide(_ call: ToolCall) -> Decision {
        let category = effectiveCategory(of: call)
        var matched: [Int] = []
        var firstByAction: (allow: Int?, approval: Int?, deny: Int?) = (nil, nil, nil)
        var unjudged: (index: Int, why: Unjudgeable)?
        forEachCandidate(of: call.tool) { index, toolKnownToMatch in
            var why: Unjudgeable?
            switch judge(index, call, category: category, toolKnownToMatch: toolKnownToMatch, why: &why) {
            case .fails: return
            case .unjudgeable:
                if unjudged == nil, let why { unjudged = (index, why) }
                return
            case .holds: break
            }
            matched.append(index)
            switch rules[index].action {
            case .some(.deny): if firstByAction.deny == nil { firstByAction.deny = index }
            case .some(.requireApproval): if firstByAction.approval == nil { firstByAction.approval = index }
            case .some(.allow): if firstByAction.allow == nil { firstByAction.allow = index }
            default: break
            }
        }
        if firstByAction.deny == nil, let unjudged {
            return Decision(
                action: .deny,
                rule: policy.rules[unjudged.index].name,
                ruleIndex: unjudged.index,
                reason: unjudged.why.description,
                matchedRules: matched
            )
        }
        guard let deciding = firstByAction.deny ?? firstByAction.approval ?? firstByAction.allow else {
            let action = policy.defaultAction
            return Decision(action: action, matchedRules: matched, approval: action == .requireApproval ? ApprovalSettings() : nil)
        }
        let rule = policy.rules[deciding]
        let action = rules[deciding].action ?? policy.defaultAction
        return Decision(
            action: action,
            rule: rule.name,
            ruleIndex: deciding,
            reason: rule.reason,
            matchedRules: matched,
            approval: action == .requireApproval ? (rule.approval ?? ApprovalSettings()) : nil
        )
    }

    /// The category rules see for `call`: its own, else the policy's `categories:` entry, else the classifier's.
    func effectiveCategory(of call: ToolCall) -> ToolCategory? {
        if let category = call.category { return category }
        guard needsCategory else { return nil }
        return policy.category(of: call.tool)
    }

    /// Visits, in file order, every rule that could match `tool`: those naming it exactly, those with a glob whose
    /// literal prefix starts the name, and those with no tool selector. `toolKnownToMatch` is true when the exact
    /// index already proved the tool matches.
    func forEachCandidate(of tool: String, _ body: (Int, Bool) -> Void) {
        let exact = rulesByTool.isEmpty ? [] : rulesByTool[ScalarKey(tool)] ?? []
        if globIndex.isEmpty && untargetedRules.isEmpty {
            for index in exact { body(index, true) }
            return
        }
        var others: [Int] = untargetedRules
        globIndex.forEachValue(alongPrefixesOf: tool) { others.append($0) }
        if others.count > untargetedRules.count { others.sort() }
        var i = 0
        var j = 0
        var last = -1
        while i < exact.count || j < others.count {
            let index: Int
            let known: Bool
            if j == others.count || (i < exact.count && exact[i] <= others[j]) {
                index = exact[i]
                known = true
                i += 1
            } else {
                index = others[j]
                known = false
                j += 1
            }
            // A rule can be reached twice (exact and glob, or two globs); visit it once, preferring the exact proof.
            if index == last { continue }
            if !known, i < exact.count, exact[i] == index { continue }
            last = index
            body(index, known)
        }
    }

    /// Whether rule `index` matches `call`: its selectors accept it and its condition holds, or cannot be judged.
    func judge(_ index: Int, _ call: ToolCall, category: ToolCategory?, toolKnownToMatch: Bool, why: inout Unjudgeable?) -> Judgement {
        guard selectorFailure(index, call, category: category, toolKnownToMatch: toolKnownToMatch) == nil else { return .fails }
        return rules[index].condition?.judge(call, category: category, why: &why) ?? .holds
    }

    /// Which selector of rule `index` rejects `call`, or nil when all of them accept it.
    func selectorFailure(_ index: Int, _ call: ToolCall, category: ToolCategory?, toolKnownToMatch: Bool) -> SelectorFailure? {
        let rule = rules[index]
        if !toolKnownToMatch, let tools = rule.tools, !tools.matches(call.tool) { return .tool }
        if let agents = rule.agents {
            guard let agent = call.agentID, agents.matches(agent) else { return .agent }
        }
        if let servers = rule.servers {
            guard let server = call.server, servers.matches(server) else { return .server }
        }
        if let categories = rule.categories {
            guard let category, categories.contains(category) else { return .category }
        }
        return nil
    }

    enum SelectorFailure {
        case tool, agent, server, category
    }

    private static func readsCategory(_ condition: Condition) -> Bool {
        switch condition {
        case .all(let conditions), .any(let conditions): conditions.contains(where: readsCategory)
        case .not(let condition): readsCategory(condition)
        case .test(let path, _): path.root == .category
        }
    }
}
