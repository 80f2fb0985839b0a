/// The error codes JSON-RPC 2.0 reserves, for answers the proxy writes on the wire.
///
/// They describe what was wrong with a message, never a failure inside the proxy's own code.
public enum JSONRPCErrorCode {
    /// The bytes were not JSON.
    public static let parseError = -32700
    /// The JSON was not a valid request.
    public static let invalidRequest = -32600
    /// The method does not exist or is not available.
    public static let methodNotFound = -32601
    /// The params were invalid; MCP also uses this for an unknown tool name in `tools/call`.
    public static let invalidParams = -32602
    /// The receiver failed while handling a valid request.
    public static let internalError = -32603
}
