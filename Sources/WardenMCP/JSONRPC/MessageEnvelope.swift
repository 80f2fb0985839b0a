/// What the proxy needs to know about a message, found without building its value.
///
/// Ranges are byte offsets into the bytes that were inspected (for a `ByteBuffer`, relative to its reader index),
/// covering the member's value exactly, so a caller can parse just `params`, or splice a new `result` in.
public struct MessageEnvelope: Sendable, Hashable {
    /// The four shapes a JSON-RPC 2.0 message can take.
    public enum Kind: Sendable, Hashable {
        /// `method` and `id`: expects an answer.
        case request
        /// `method` without `id`: expects none.
        case notification
        /// `id` and `result`.
        case response
        /// `error`, with the `id` it answers, or none when the request's id could not be read.
        case errorResponse
    }

    public var kind: Kind
    /// The method, for requests and notifications.
    public var method: String?
    /// The id; nil for notifications and for error responses whose id is `null` or missing.
    public var id: JSONRPCID?
    /// Where the `params` value is, when present and not `null`.
    public var params: Range<Int>?
    /// Where the `result` value is, for responses.
    public var result: Range<Int>?
    /// Where the `error` value is, for error responses.
    public var error: Range<Int>?

    public init(
        kind: Kind,
        method: String? = nil,
        id: JSONRPCID? = nil,
        params: Range<Int>? = nil,
        result: Range<Int>? = nil,
        error: Range<Int>? = nil
    ) {
        self.kind = kind
        self.method = method
        self.id = id
        self.params = params
        self.result = result
        self.error = error
    }
}
