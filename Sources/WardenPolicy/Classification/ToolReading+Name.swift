extension ToolReading {
    /// Words that, with no verb in the name, say the tool only reports something.
    private static let reportNouns: Set<String> = [
        "status", "info", "information", "details", "detail", "health", "version", "config", "configuration", "log",
        "history", "metadata", "stats", "statistic", "usage", "schema", "overview", "summary", "me", "profile",
        "current", "time", "docs", "documentation", "help", "context", "diff", "blame", "tree", "content",
    ]

    /// Decides the category from the name's first verb and the pairs that refine it.
    mutating func readName() {
        guard let found = Self.firstVerb(in: nameWords) else {
            readNameWithoutVerb()
            return
        }
        verb = found.verb
        nameDecided = true
        category = found.category
        let objectMoney = objectHas(ToolVocabulary.moneyNouns)
        switch found.category {
        case .execute where ["start", "begin", "launch", "run"].contains(found.verb):
            if let resource = objectHas(ToolVocabulary.resourceNouns) {
                category = .write
                note(.name, "\(found.word) \(resource)", "switches a resource on")
            } else {
                note(.name, found.word, "starts a job or runs something whose effects depend on its arguments")
            }
        case .destructive where ["remove", "rm"].contains(found.verb):
            if let relation = objectHas(ToolVocabulary.relationNouns), objectMoney == nil {
                category = .write
                note(.name, "\(found.word) … \(relation)", "removes a link, the thing itself stays")
            } else {
                note(.name, found.word, Self.meaning(of: .destructive))
            }
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
