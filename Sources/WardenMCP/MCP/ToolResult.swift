public import WardenJSON

/// Builds `tools/call` results that the proxy answers with itself.
public enum ToolResult {
    /// A tool error the model can read and act on: `{"content":[{"type":"text","text":…}],"isError":true,"_meta":{…}}`.
    ///
    /// MCP reports a refused call as a result with `isError`, not a JSON-RPC error, so the model sees the reason and
    /// can change course. `_meta` is left out when `meta` is empty. For a 2026-07-28 (stateless) `revision` the
    /// result also says `"resultType":"complete"`, which that revision requires of every result.
    public static func error(text: String, meta: JSONObject, revision: ProtocolRevision? = nil) -> JSONValue {
        var result: JSONObject = [
            "content": [["type": "text", "text": .string(text)]],
            "isError": true,
        ]
        if !meta.isEmpty { result["_meta"] = .object(meta) }
        if let revision, revision.isStateless { result["resultType"] = "complete" }
        return .object(result)
    }
}
