public import WardenJSON

/// What a client says about itself: who it is, which protocol revision it speaks, and what it can do.
///
/// Self-reported and unverified: fit for logs, audit records and policy conditions that only sort traffic,
/// never for authentication.
public struct ClientInfo: Sendable, Hashable {
    /// `clientInfo.name`, such as `claude-code`.
    public var name: String?
    /// `clientInfo.version`.
    public var version: String?
    /// The protocol revision the client asked for.
    public var revision: ProtocolRevision?
    /// The client's capabilities object, empty when it sent none.
    public var capabilities: JSONObject

    public init(name: String? = nil, version: String? = nil, revision: ProtocolRevision? = nil, capabilities: JSONObject = [:]) {
        self.name = name
        self.version = version
        self.revision = revision
        self.capabilities = capabilities
    }

    /// Reads the params of an `initialize` request (every revision before 2026-07-28):
    /// `{"protocolVersion": …, "capabilities": {…}, "clientInfo": {"name": …, "version": …}}`.
    ///
    /// Returns nil when `params` is not an object; missing or mistyped members are left nil or empty.
    public static func fromInitialize(params: JSONValue) -> ClientInfo? {
        guard case .object(let object) = params else { return nil }
        let implementation = object["clientInfo"]
        return ClientInfo(
            name: implementation?["name"]?.stringValue,
            version: implementation?["version"]?.stringValue,
            revision: object["protocolVersion"]?.stringValue.map(ProtocolRevision.init),
            capabilities: object["capabilities"]?.objectValue ?? [:]
        )
    }

    /// Reads a 2026-07-28 request's `params._meta`, where each request says who sent it:
    /// `io.modelcontextprotocol/protocolVersion`, `io.modelcontextprotocol/clientInfo` and
    /// `io.modelcontextprotocol/clientCapabilities` (see `MetaKey`).
    ///
    /// Returns nil when there is no `_meta` object or it holds none of the three keys, as in older revisions.
    public static func fromRequestMeta(params: JSONValue) -> ClientInfo? {
        guard case .object(let meta)? = params["_meta"] else { return nil }
        let implementation = meta[MetaKey.clientInfo]
        let revision = meta[MetaKey.protocolVersion]
        let capabilities = meta[MetaKey.clientCapabilities]
        guard implementation != nil || revision != nil || capabilities != nil else { return nil }
        return ClientInfo(
            name: implementation?["name"]?.stringValue,
            version: implementation?["version"]?.stringValue,
            revision: revision?.stringValue.map(ProtocolRevision.init),
            capabilities: capabilities?.objectValue ?? [:]
        )
    }
}
