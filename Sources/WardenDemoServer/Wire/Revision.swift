/// The MCP revisions the demo server speaks, and the `_meta` keys 2026-07-28 requests carry.
enum Revision {
    /// Revisions reached through the `initialize` handshake, oldest first.
    static let handshake = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    /// Stateless revisions: no handshake, every request carries its version in `params._meta`.
    static let stateless = ["2026-07-28"]
    static let latestHandshake = "2025-11-25"

    static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"
    static let clientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"
}
