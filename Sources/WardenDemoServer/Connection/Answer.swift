import WardenJSON

/// How the server answers a request: now with a result or an error, or later (after the client answers a question).
enum Answer {
    case result(JSONObject)
    case failure(RPCError)
    /// The reply goes out when the client answers the server's own request (elicitation in 2025 revisions).
    case deferred
}
