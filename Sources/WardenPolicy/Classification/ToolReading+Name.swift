extension ToolReading {
    /// Words that, with no verb in the name, say the tool only reports something.
    private static let reportNouns: Set<String> = [
        "status", "info", "information", "details", "detail", "health", "version", "config", "configuration", "log",
        "history", "metadata", "stats", "statistic", "usage", "schema", "overview", "summary", "me", "profile",
        "current", "time", "docs", "documentation", "help", "context", "diff", "blame", "tree", "content", "console",
    ]

    /// Decides the category from the name's first verb and the pairs that refine it.
    mutating func readName() {
        if let api = nameHas(["api", "http"]), let call = nameHas(["request", "call", "invoke", "fetch"]) {
            category = .execute
            nameDecided = true
            verb = call
            note(.name, "\(api) \(call)", Self.apiRequest)
            return
        }
        if let first = nameWords.first, Self.leadingVerbs.contains(first), nameWords.count > 1 {
            category = .write
            nameDecided = true
            verb = first
            note(.name, first, Self.meaning(of: .write))
            return
        }
        if let method = nameWords.first(where: { ["post", "put"].contains($0) }), let read = objectHas(["search", "query"]) {
            category = .read
            nameDecided = true
            verb = read
            note(.name, "\(method) \(read)", "an HTTP method naming a search")
            return
        }
        guard let found = Self.nameVerb(nameWords) else {
            readNameWithoutVerb()
            return
        }
        verb = found.verb
        nameDecided = true
        category = found.category
        let objectMoney = objectHas(ToolVocabulary.moneyNouns)
        switch found.category {
        case .execute where ["execute", "exec", "run"].contains(found.verb) && readOnlyLanguage != nil:
            category = .read
            note(.name, "\(found.word) … \(readOnlyLanguage ?? "")", "a query in a language that only reads")
        case .execute where ["start", "stop"].contains(found.verb) && objectHas(Self.recordings) != nil,
            .write where ["start", "stop"].contains(found.verb) && objectHas(Self.recordings) != nil:
            category = .other
            note(.name, "\(found.word) \(objectHas(Self.recordings) ?? "")", "records the session itself")
        case .execute where ["start", "begin", "launch", "run"].contains(found.verb):
            if let resource = objectHas(ToolVocabulary.resourceNouns) {
                category = .write
                note(.name, "\(found.word) \(resource)", "switches a resource on")
            } else {
                note(.name, found.word, "starts a job or runs something whose effects depend on its arguments")
            }
        case .write where ["stop", "abort", "halt"].contains(found.verb) && objectHas(ToolVocabulary.workNouns) != nil:
            category = .destructive
            note(.name, "\(found.word) … \(objectHas(ToolVocabulary.workNouns) ?? "")", "cancels running work")
        case .destructive where ["remove", "rm", "delete"].contains(found.verb):
            if let relation = relationRemoved(verb: found.verb), objectMoney == nil {
                category = .write
                note(.name, "\(found.word) … \(relation)", Self.removesLink)
            } else {
                note(.name, found.word, Self.meaning(of: .destructive))
            }
        case .write where ["create", "queue", "submit", "schedule", "restart", "retry"].contains(found.verb) && nameHas(Self.runs) != nil:
            category = .execute
            note(.name, "\(found.word) … \(nameHas(Self.runs) ?? "")", "starts a run")
        default:
            note(.name, found.word, Self.meaning(of: found.category))
        }
        if let objectMoney, category != .read, category != .other, !isEventSubscription(objectMoney) {
            category = .financial
            note(.name, objectMoney, "money: a change here commits or moves money")
        }
    }

    private mutating func readNameWithoutVerb() {
        if let code = nameHas(ToolVocabulary.codeNouns) {
            category = .execute
            nameDecided = true
            note(.name, code, "runs code or commands")
        } else if let report = nameHas(Self.reportNouns) {
            category = .read
            nameDecided = true
            note(.name, report, "reports something, no verb that changes it")
        }
    }

    /// Verbs that are also common nouns (`pull_request`, `git_branch`): verbs only as a name's first word.
    private static let leadingVerbs: Set<String> = ["request", "message", "email", "branch", "unapprove", "scroll"]
    /// Nouns of the session's own recordings: starting or stopping one changes nothing outside.
    private static let recordings: Set<String> = ["tracing", "trace", "video", "recording", "screencast"]
    /// Things whose creation or restart runs them.
    private static let runs: Set<String> = ["run", "execution", "pipeline", "taskrun", "pipelinerun", "workflow"]
    /// Removed from something, these are data and are lost with the removal.
    private static let contents: Set<String> = [
        "series", "instance", "file", "record", "row", "data", "object", "document", "page", "message", "entry", "key",
    ]

    /// The link a `remove`/`delete` call takes away while the things it joined survive, or nil when it destroys.
    /// A removal that revokes access (a shared link, a permission) destroys something.
    private func relationRemoved(verb: String) -> String? {
        if nameHas(["shared", "share", "sharing", "access", "permission"]) != nil { return nil }
        if verb == "delete" { return objectHas(["relation", "link", "association", "dependency"]) }
        if let relation = nameHas(ToolVocabulary.relationNouns) { return relation }
        guard let from = nameWords.firstIndex(of: "from") else { return nil }
        let removesMember = nameWords[..<from].contains(where: ToolVocabulary.memberNouns.contains)
        guard objectHas(Self.contents) == nil || removesMember else { return nil }
        return "from"
    }

    /// A language that can only read, named by the tool (`execute_promql_query`) or its description.
    private var readOnlyLanguage: String? {
        objectHas(ToolVocabulary.readOnlyQueryNouns)
            ?? ToolWords.split(Self.firstSentence(tool.description ?? "")).first(where: ToolVocabulary.readOnlyQueryNouns.contains)
    }

    /// Verbs that are as often nouns in tool names (`gitlab_get_tag`, `label_write`, `git_commit`).
    static let nounLikeVerbs: Set<String> = [
        "tag", "label", "comment", "block", "commit", "review", "star", "type", "record", "post", "link", "pin",
        "stage", "flag", "watch", "schedule", "test", "trace", "audit", "map", "scan", "snapshot", "screenshot", "view",
        "show", "order", "charge", "bill", "tip", "ban", "log", "plan", "hash", "roll", "sum", "new", "look", "head",
        "cat", "format", "message", "store", "check", "lock", "clone", "fork", "note", "alert", "status", "trim", "pop",
    ]

    /// The verb of a name: the first verb that is not also a common noun; else the first or last word when that is
    /// a verb (`git_commit`, `comment_on_issue`); else the first verb anywhere.
    static func nameVerb(_ words: [String]) -> (word: String, verb: String, category: ToolCategory)? {
        if let found = firstVerb(in: words.filter { !nounLikeVerbs.contains($0) }, inflected: false) { return found }
        guard let first = words.first else { return nil }
        if let found = firstVerb(in: [first], inflected: false) { return found }
        if let last = words.last, let found = firstVerb(in: [last], inflected: false) { return found }
        return firstVerb(in: words, inflected: false)
    }

    static let removesLink = "removes a link, the thing itself stays"
    static let apiRequest = "sends any request the API accepts"

    /// `create_webhook_subscription` subscribes to events; nobody pays for it.
    private func isEventSubscription(_ noun: String) -> Bool {
        ToolWords.forms(of: noun).contains("subscription")
            && nameHas(["webhook", "event", "notification", "topic", "alert", "feed", "channel"]) != nil
    }

    static func meaning(of category: ToolCategory) -> String {
        switch category {
        case .destructive: "deletes or destroys"
        case .financial: "moves money"
        case .execute: "runs code or starts a job"
        case .write: "creates or changes data"
        case .read: "reads"
        default: "neither reads nor changes data"
        }
    }
}
