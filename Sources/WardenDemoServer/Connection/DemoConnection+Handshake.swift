import WardenJSON

extension DemoConnection {
    static let instructions = "Demo records service: read, write and delete records, export datasets, create charges."

    /// Answers `initialize` with the revision the client asked for when this server knows it, else its latest.
    mutating func initialize(_ request: IncomingRequest) -> Answer {
        guard let requested = request.params["protocolVersion"]?.stringValue else {
            return .failure(RPCError(code: RPCError.invalidParams, message: "initialize needs a protocolVersion string"))
        }
        let revision = Revision.handshake.contains(requested) ? requested : Revision.latestHandshake
        negotiatedRevision = revision
        clientSupportsElicitation = request.params["capabilities"]?["elicitation"] != nil
        return .result([
            "protocolVersion": .string(revision),
            "capabilities": ["tools": ["listChanged": false]],
            "serverInfo": Self.serverInfo,
            "instructions": .string(Self.instructions),
        ])
    }

    /// Answers 2026-07-28's `server/discover`, which replaces the handshake for stateless clients.
    func discover() -> JSONObject {
        [
            "supportedVersions": .array(Revision.stateless.map { .string($0) }),
            "capabilities": ["tools": ["listChanged": false]],
            "instructions": .string(Self.instructions),
            "ttlMs": 0,
            "cacheScope": "public",
        ]
    }
}
