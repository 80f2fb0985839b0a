public import WardenJSON

/// A `tools/call` as policy sees it: the tool, its arguments, who asked and when.
public struct ToolCall: Sendable {
    public var tool: String
    /// The call's arguments object, or `.null` when the call carried none.
    public var arguments: JSONValue
    public var agentID: String?
    public var agentGroups: [String]
    public var sessionID: String?
    public var clientName: String?
    /// The upstream server's name, for gateways that front several.
    public var server: String?
    /// The tool's category; when nil, `CompiledPolicy` uses the policy's `categories:` or the classifier.
    public var category: ToolCategory?
    /// When the call arrived; conditions on `time.hour` and `time.weekday` read it.
    public var time: Timestamp

    public init(
        tool: String,
        arguments: JSONValue = .null,
        agentID: String? = nil,
        agentGroups: [String] = [],
        sessionID: String? = nil,
        clientName: String? = nil,
        server: String? = nil,
        category: ToolCategory? = nil,
        time: Timestamp = Timestamp(millisecondsSinceEpoch: 0)
    ) {
        self.tool = tool
        self.arguments = arguments
        self.agentID = agentID
        self.agentGroups = agentGroups
        self.sessionID = sessionID
        self.clientName = clientName
        self.server = server
        self.category = category
        self.time = time
    }
}
