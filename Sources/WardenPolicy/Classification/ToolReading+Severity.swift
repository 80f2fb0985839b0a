import WardenJSON

extension ToolReading {
    private static let messagingVerbs: Set<String> = [
        "send", "email", "message", "notify", "forward", "share", "publish", "post", "reply", "invite", "upload", "export",
    ]
    private static let hostCode: Set<String> = [
        "shell", "bash", "terminal", "command", "cmd", "commands", "script", "code", "python", "powershell", "sh", "exec",
    ]
    private static let sendsMoneyOut: Set<String> = ["payout", "transfer", "withdraw", "disburse", "remit", "send", "wire"]

    /// Sets the severity from the category, the objects and arguments found, and the annotations (which only raise).
    mutating func rateSeverity() {
        switch category {
        case .destructive:
            severity = .high
            if let whole = objectHas(ToolVocabulary.wholeSystemNouns) {
                severity = .critical
                note(.name, whole, "a whole system is lost")
            }
        case .financial:
            severity = .high
            if let out = nameHas(Self.sendsMoneyOut), !schema.destinations.isEmpty || nameHas(["fund", "money"]) != nil {
                severity = .critical
                note(.name, out, "sends money to a destination the caller chooses")
            }
        case .execute:
            severity = .high
            if let api = nameHas(["api", "http"]), nameHas(["request", "call", "invoke", "fetch"]) != nil {
                severity = .critical
                note(.name, api, "any request the API accepts, deletions included")
                break
            }
            let hostName = nameHas(Self.hostCode)
            let hostArgument = schema.code.first { path in ToolWords.split(path).contains(where: Self.hostCode.contains) }
            if let host = hostName ?? hostArgument {
                severity = .critical
                note(hostName == nil ? .argument : .name, host, "runs any command or code")
            }
        case .write:
            severity = .medium
            let alwaysOut: Set<String> = ["send", "email", "share", "forward", "invite"]
            if let sent = nameHas(Self.messagingVerbs), !schema.destinations.isEmpty || alwaysOut.contains(sent) {
                severity = .high
                note(.name, sent, "sends data to a destination the caller chooses")
            } else if !schema.destinations.isEmpty, objectHas(["tag", "label"]) == nil {
                severity = .high
            } else if let access = nameHas(ToolVocabulary.accessNouns) {
                severity = .high
                note(.name, access, "changes who may do what")
            }
        case .read:
            severity = .low
            if let sensitive = nameHas(ToolVocabulary.sensitiveNouns) {
                severity = .medium
                note(.name, sensitive, "sensitive data")
            } else if !schema.destinations.isEmpty || ["navigate", "goto", "visit", "crawl", "scrape"].contains(verb ?? "") {
                severity = .medium
            }
        default:
            severity = .low
        }
        let hints = tool.annotations
        if hints?["destructiveHint"]?.boolValue == true { severity = max(severity, .high) }
        if hints?["openWorldHint"]?.boolValue == true { severity = max(severity, .medium) }
    }
}
