import WardenJSON

/// A request from the client, with the parts every handler looks at.
struct IncomingRequest {
    var id: JSONValue
    var method: String
    var params: JSONObject

    var meta: JSONObject? { params["_meta"]?.objectValue }

    /// Whether the request speaks 2026-07-28: it names its revision in `_meta` instead of relying on a handshake.
    var isStateless: Bool { meta?[Revision.protocolVersionKey] != nil }
}
