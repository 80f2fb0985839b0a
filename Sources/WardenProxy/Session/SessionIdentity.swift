/// Who is on the other end of a downstream session, as far as policy is concerned.
public struct SessionIdentity: Sendable, Hashable {
    /// The agent's id (`--agent`, `WARDEN_AGENT`, or the gateway's credential), if known.
    public var agentID: String?
    /// The agent's groups, for `agent.groups` conditions.
    public var agentGroups: [String]
    /// The downstream session's id: one per stdio process, or the HTTP session.
    public var sessionID: String
    /// The upstream server's name, for `server` selectors.
    public var serverName: String?

    public init(agentID: String? = nil, agentGroups: [String] = [], sessionID: String, serverName: String? = nil) {
        self.agentID = agentID
        self.agentGroups = agentGroups
        self.sessionID = sessionID
        self.serverName = serverName
    }
}
