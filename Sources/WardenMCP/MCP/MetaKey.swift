/// Keys MCP reserves inside `_meta` objects.
///
/// Since 2026-07-28 a request's `params._meta` carries what `initialize` used to establish once per session.
public enum MetaKey {
    /// The protocol revision of this request (a string; required on every 2026-07-28 request).
    public static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
    /// The client's `Implementation` (`name`, `version`, …); clients should send it on every request.
    public static let clientInfo = "io.modelcontextprotocol/clientInfo"
    /// The client's capabilities for this request (an object; required, `{}` when it supports nothing optional).
    public static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
    /// The log level the client wants for this request's `notifications/message` (deprecated in 2026-07-28).
    public static let logLevel = "io.modelcontextprotocol/logLevel"
    /// On a notification delivered through `subscriptions/listen`: the id of that listen request.
    public static let subscriptionId = "io.modelcontextprotocol/subscriptionId"
    /// On a result: the server's `Implementation`.
    public static let serverInfo = "io.modelcontextprotocol/serverInfo"
    /// The token the client wants on `notifications/progress` for this request (every revision).
    public static let progressToken = "progressToken"
}
