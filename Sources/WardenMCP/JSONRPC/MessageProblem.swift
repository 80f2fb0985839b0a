/// Why a line is not a JSON-RPC 2.0 message that MCP allows, mapped one-to-one onto JSON-RPC's error codes.
public enum MessageProblem: Error, Sendable, Equatable {
    /// The bytes are not JSON (answer with -32700 and a null id).
    case parseError(String)
    /// The JSON is not a valid message (answer with -32600), with the message's id when one could be read.
    case invalidRequest(String, id: JSONRPCID?)
    /// A JSON array at the top level: a JSON-RPC batch, which MCP removed in 2025-06-18.
    case batch
}
