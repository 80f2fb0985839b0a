import WardenJSON
import WardenMCP
import WardenPolicy

/// The MCP a scan speaks: a handshake (or 2026-07-28's stateless discovery), then `tools/list`, page by page.
///
/// It asks for nothing but the tool list and offers no capabilities, so a server has no reason to ask it anything.
struct ScanClient {
    /// The revision a scan asks for when none is forced: the newest one with a handshake.
    static let handshakeRevision = ProtocolRevision.v2025_11_25
    /// The stateless revision tried when the handshake is refused.
    static let statelessRevision = ProtocolRevision.v2026_07_28
    /// How many `tools/list` pages a scan follows before it gives up on a server that never stops.
    static let defaultMaxPages = 1000

    let connection: ScanConnection
    /// A revision to speak and no other; nil tries the handshake, then the stateless way.
    var revision: ProtocolRevision?
    var maxPages = Self.defaultMaxPages

    /// Every tool the server lists, in its order, across all pages.
    func listTools() async throws(ScanError) -> [ToolDefinition] {
        if let revision {
            return revision.isStateless ? try await listStateless(revision) : try await listAfterHandshake(revision)
        }
        do {
            return try await listAfterHandshake(Self.handshakeRevision)
        } catch let refused where refused.code == .refused && refused.message.hasPrefix("initialize") {
            // A server that speaks only the stateless revision has no `initialize`.
            do {
                return try await listStateless(Self.statelessRevision)
            } catch let second where second.code == .refused {
                let detail = refused.message == second.message ? refused.message : "\(refused.message); then \(second.message)"
                throw ScanError(.refused, detail)
            }
        }
    }

    // MARK: Revisions with a handshake

    private func listAfterHandshake(_ revision: ProtocolRevision) async throws(ScanError) -> [ToolDefinition] {
        let params: JSONValue = [
            "protocolVersion": .string(revision.raw),
            "capabilities": [:],
            "clientInfo": Self.clientInfo,
        ]
        let result = try await call("initialize", params)
        guard result["protocolVersion"]?.stringValue != nil else {
            throw ScanError(.malformed, "the server's answer to initialize has no protocolVersion")
        }
        connection.notify("notifications/initialized", params: nil)
        return try await listPages(meta: nil)
    }

    // MARK: The stateless revision

    private func listStateless(_ revision: ProtocolRevision) async throws(ScanError) -> [ToolDefinition] {
        let meta: JSONObject = [
            MetaKey.protocolVersion: .string(revision.raw),
            MetaKey.clientInfo: Self.clientInfo,
            MetaKey.clientCapabilities: [:],
        ]
        let discovered = try await call("server/discover", .object(["_meta": .object(meta)]))
        if let supported = discovered["supportedVersions"]?.arrayValue?.compactMap(\.stringValue), !supported.contains(revision.raw) {
            throw ScanError(.refused, "the server speaks \(supported.joined(separator: ", ")), not \(revision.raw)")
        }
        return try await listPages(meta: meta)
    }

    // MARK: Pages

    /// Follows `nextCursor` until a page has none; a cursor seen before is a loop, and `maxPages` bounds the rest.
    private func listPages(meta: JSONObject?) async throws(ScanError) -> [ToolDefinition] {
        var tools: [ToolDefinition] = []
        var cursor: String?
        var seen: Set<String> = []
        for page in 1...maxPages {
            var params = JSONObject()
            if let cursor { params["cursor"] = .string(cursor) }
            if let meta { params["_meta"] = .object(meta) }
            let result = try await call("tools/list", .object(params))
            guard let entries = result["tools"]?.arrayValue else {
                throw ScanError(.malformed, "the server's tools/list answer (page \(page)) has no tools array")
            }
            tools += entries.compactMap(ToolDefinition.init(json:))
            // An empty cursor is taken as the end: some servers send one on the last page.
            guard let next = result["nextCursor"]?.stringValue, !next.isEmpty else { return tools }
            guard seen.insert(next).inserted else {
                throw ScanError(
                    .cursorLoop,
                    "the server's tools/list handed out the cursor \(JSONValue.string(next).encodedString) twice (page \(page)): a cursor loop"
                )
            }
            cursor = next
        }
        throw ScanError(.tooManyPages, "the server's tools/list still had more after \(maxPages) pages; giving up")
    }

    // MARK: Requests

    /// The result of `method`; a JSON-RPC error becomes a `refused` error that names the method.
    private func call(_ method: String, _ params: JSONValue) async throws(ScanError) -> JSONValue {
        switch try await connection.request(method, params: params) {
        case .result(let result):
            return result
        case .error(let code, let message) where code == JSONRPCErrorCode.internalError && message.hasPrefix(Self.unreachable):
            // HTTPUpstream's own answer when no connection could be made: no other way of asking will do better.
            throw ScanError(.unreachable, "the server could not be reached" + message.dropFirst(Self.unreachable.count))
        case .error(let code, let message):
            throw ScanError(.refused, "\(method) was refused: \(message) (\(code))")
        }
    }

    private static let unreachable = "the upstream server it could not be reached"

    static let clientInfo: JSONValue = ["name": "warden-scan", "version": .string(WardenVersion.current)]
}
