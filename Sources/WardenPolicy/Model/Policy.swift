import WardenJSON

/// A loaded policy file: what Warden does with each tool call to one upstream.
///
/// Plain data with the positions of its parts; `CompiledPolicy` turns it into the form that decides calls.
public struct Policy: Hashable, Sendable {
    /// The policy language version; only 1 exists.
    public var version: Int
    public var description: String?
    /// The action when no matching rule sets one (`default:`); allow unless the file says otherwise.
    public var defaultAction: Action
    /// Tool names or globs removed from `tools/list`; calling one gets "unknown tool".
    public var hide: [String]
    /// The rules, in file order.
    public var rules: [Rule]
    /// The file's `tests:`, run by `warden test`.
    public var tests: [PolicyTestCase]
    /// What to do when the store cannot be reached (`fail:`); closed unless the file says otherwise.
    public var failMode: FailMode
    public var audit: AuditSettings
    /// Categories given per tool (`categories:`), which override the classifier's guess.
    public var categories: [String: ToolCategory]
    /// Argument checks, pins and poisoning checks on the server's tool definitions.
    public var definitions: DefinitionSettings
    /// The name the file was loaded under, which error positions print.
    public var fileName: String

    public init(
        version: Int = 1,
        description: String? = nil,
        defaultAction: Action = .allow,
        hide: [String] = [],
        rules: [Rule] = [],
        tests: [PolicyTestCase] = [],
        failMode: FailMode = .closed,
        audit: AuditSettings = AuditSettings(),
        categories: [String: ToolCategory] = [:],
        definitions: DefinitionSettings = DefinitionSettings(),
        fileName: String = "policy.yaml"
    ) {
        self.version = version
        self.description = description
        self.defaultAction = defaultAction
        self.hide = hide
        self.rules = rules
        self.tests = tests
        self.failMode = failMode
        self.audit = audit
        self.categories = categories
        self.definitions = definitions
        self.fileName = fileName
    }

    /// The category of `tool`: the policy's own `categories:` entry, or the classifier's guess from the name.
    public func category(of tool: String, description: String? = nil) -> ToolCategory {
        categoryOverride(for: tool) ?? ToolClassifier.classify(name: tool, description: description)
    }

    /// The policy's own `categories:` entry for `tool`, matched by Unicode scalars as the server matches names
    /// (`String` lookup would take a decomposed lookalike for the tool).
    public func categoryOverride(for tool: String) -> ToolCategory? {
        guard let index = categories.index(forKey: tool), ScalarKey.equal(categories[index].key, tool) else { return nil }
        return categories[index].value
    }
}
