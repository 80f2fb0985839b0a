import WardenJSON

/// One client's conversation with the demo server: bytes of a message in, the messages to write back out.
///
/// It does no I/O, so the stdio loop, an in-process benchmark or a test can drive it alike. A conversation may use
/// any revision: `initialize` starts a 2024-11-05 … 2025-11-25 session, and a request whose `params._meta` names
/// 2026-07-28 is answered statelessly, with no handshake needed.
public struct DemoConnection: Sendable {
    /// What one incoming message produced.
    public struct Output: Sendable, Hashable {
        /// JSON-RPC messages for the client, in order, each without its trailing newline.
        public var messages: [[UInt8]] = []
        /// Lines for stderr (only with `logCalls`).
        public var logLines: [String] = []

        public init() {}
    }

    let options: DemoServerOptions
    var records = RecordStore()
    /// The revision `initialize` settled on; `nil` until a handshake happens.
    var negotiatedRevision: String?
    var clientSupportsElicitation = false
    /// Server-to-client `elicitation/create` requests still waiting for the client, by their id.
    var pendingElicitations: [String: JSONValue] = [:]
    var nextServerRequestNumber = 1
    var nextJobNumber = 1
    var nextChargeNumber = 1

    public init(options: DemoServerOptions = DemoServerOptions()) {
        self.options = options
    }

    /// Handles one line of input (one JSON-RPC message without its newline).
    public mutating func receive(_ line: UnsafeRawBufferPointer) -> Output {
        var output = Output()
        guard line.contains(where: { !Self.isWhitespace($0) }) else { return output }
        let message: JSONValue
        do {
            message = try JSONParser.parse(line)
        } catch {
            output.messages.append(Message.error(id: .null, RPCError(code: RPCError.parseError, message: "Parse error: \(error.message)")))
            return output
        }
        guard case .object(let object) = message, object["jsonrpc"]?.stringValue == "2.0" else {
            output.messages.append(Message.error(id: .null, RPCError(code: RPCError.invalidRequest, message: "Invalid Request")))
            return output
        }
        let id = object["id"]
        if let id, !Self.isValidID(id) {
            output.messages.append(Message.error(id: .null, RPCError(code: RPCError.invalidRequest, message: "Invalid Request: bad id")))
            return output
        }
        if let method = object["method"]?.stringValue {
            // Notifications (initialized, cancelled, progress …) need no answer and change nothing here.
            guard let id else { return output }
            guard let params = Self.params(of: object) else {
                output.messages.append(Message.error(id: id, RPCError(code: RPCError.invalidParams, message: "params must be an object")))
                return output
            }
            handle(IncomingRequest(id: id, method: method, params: params), into: &output)
        } else if let id, object["result"] != nil || object["error"] != nil {
            handleResponse(id: id, message: object, into: &output)
        } else {
            output.messages.append(Message.error(id: id ?? .null, RPCError(code: RPCError.invalidRequest, message: "Invalid Request")))
        }
        return output
    }

    /// Handles one line of input held in an array.
    public mutating func receive(_ line: [UInt8]) -> Output {
        line.withUnsafeBytes { receive($0) }
    }

    private mutating func handle(_ request: IncomingRequest, into output: inout Output) {
        if let requested = request.meta?[Revision.protocolVersionKey] {
            guard let revision = requested.stringValue, Revision.stateless.contains(revision) else {
                let supported = JSONValue.array(Revision.stateless.map { .string($0) })
                let error = RPCError(
                    code: RPCError.unsupportedProtocolVersion,
                    message: "Unsupported protocol version: \(requested.stringValue ?? requested.encodedString)",
                    data: ["supported": supported, "requested": requested]
                )
                output.messages.append(Message.error(id: request.id, error))
                return
            }
        }
        let answer: Answer
        switch request.method {
        case "initialize": answer = initialize(request)
        case "server/discover": answer = .result(discover())
        case "ping": answer = .result([:])
        case "tools/list": answer = listTools(request)
        case "tools/call": answer = callTool(request, into: &output)
        default: answer = .failure(RPCError(code: RPCError.methodNotFound, message: "Method not found: \(request.method)"))
        }
        switch answer {
        case .result(let object):
            output.messages.append(Message.response(id: request.id, result: finish(object, for: request)))
        case .failure(let error):
            output.messages.append(Message.error(id: request.id, error))
        case .deferred:
            break
        }
    }

    /// Adds what a 2026-07-28 result must carry: `resultType` and the server's identity in `_meta`.
    func finish(_ result: JSONObject, for request: IncomingRequest) -> JSONObject {
        guard request.isStateless else { return result }
        var result = result
        if result["resultType"] == nil { result["resultType"] = "complete" }
        var meta = result["_meta"]?.objectValue ?? JSONObject()
        meta[Revision.serverInfoKey] = Self.serverInfo
        result["_meta"] = .object(meta)
        return result
    }

    static let serverInfo: JSONValue = ["name": "warden-demo-server", "version": "1.0.0"]

    private static func params(of object: JSONObject) -> JSONObject? {
        switch object["params"] {
        case nil, .null?: return JSONObject()
        case .object(let params)?: return params
        default: return nil
        }
    }

    private static func isValidID(_ id: JSONValue) -> Bool {
        switch id {
        case .string, .number: return true
        default: return false
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
