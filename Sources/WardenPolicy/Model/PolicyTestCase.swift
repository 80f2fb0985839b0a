public import WardenJSON

/// One entry of a policy's `tests:` list: a call and the decision the policy must reach for it.
public struct PolicyTestCase: Hashable, Sendable {
    /// What a test expects: one of the actions, or that the tool is hidden.
    public struct Expectation: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case allow, deny, hidden
            case requireApproval = "require_approval"
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        public static let allow = Expectation(.allow)
        public static let deny = Expectation(.deny)
        public static let requireApproval = Expectation(.requireApproval)
        public static let hidden = Expectation(.hidden)

        /// Every expectation, spelled as in policy files.
        public static let all: [Expectation] = [.allow, .deny, .requireApproval, .hidden]

        /// Reads the spelling used in policy files.
        public init?(name: String) {
            guard let base = Base(rawValue: name) else { return nil }
            self.base = base
        }

        /// The expected action, or nil when the test expects the tool to be hidden.
        public var action: Action? {
            switch base {
            case .allow: .allow
            case .deny: .deny
            case .requireApproval: .requireApproval
            case .hidden: nil
            }
        }

        public var description: String { base.rawValue }
    }

    /// The test's `name`, or `test #N` (1-based) when it has none.
    public var name: String
    public var position: SourcePosition
    public var tool: String
    /// The call's arguments object (`args:`); an empty object when left out.
    public var arguments: JSONValue
    public var agentID: String?
    public var agentGroups: [String]
    public var clientName: String?
    public var server: String?
    public var expect: Expectation
    /// The rule that must decide (`rule:`), when the test names one.
    public var rule: String?

    public init(
        name: String,
        position: SourcePosition,
        tool: String,
        arguments: JSONValue = .object(JSONObject()),
        agentID: String? = nil,
        agentGroups: [String] = [],
        clientName: String? = nil,
        server: String? = nil,
        expect: Expectation,
        rule: String? = nil
    ) {
        self.name = name
        self.position = position
        self.tool = tool
        self.arguments = arguments
        self.agentID = agentID
        self.agentGroups = agentGroups
        self.clientName = clientName
        self.server = server
        self.expect = expect
        self.rule = rule
    }
}
