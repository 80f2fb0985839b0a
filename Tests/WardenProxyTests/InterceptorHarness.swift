import Logging
import NIOCore
import Testing
import WardenJSON
import WardenMCP
import WardenPolicy
import WardenProxy
import WardenStore

/// Drives a `SessionInterceptor` with raw lines, no I/O.
///
/// With `autoList` (the default) it plays a server that has every tool a call names: when Warden sends its own
/// tools/list (a call names a tool no listing showed), the harness answers it at once with those names and an open
/// schema, and returns what Warden does next. Tests of the listing itself turn it off.
struct InterceptorHarness {
    let interceptor: SessionInterceptor
    let autoList: Bool
    private let named = NameBox()

    final class NameBox: @unchecked Sendable {
        var names: [String] = []
    }

    init(
        policy yaml: String,
        agent: String? = "agent-1",
        maxMessageSize: Int = 4 * 1024 * 1024,
        autoList: Bool = true,
        pins: PinKeeper? = nil,
        audit: (any AuditStore)? = nil
    ) throws {
        let policy = try PolicyLoader.load(yaml: yaml, fileName: "test.yaml")
        self.autoList = autoList
        interceptor = SessionInterceptor(
            policy: PolicyHolder(CompiledPolicy(policy)),
            identity: SessionIdentity(agentID: agent, sessionID: "s-1", serverName: "demo"),
            maxMessageSize: maxMessageSize,
            audit: audit,
            pins: pins,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: { Timestamp(millisecondsSinceEpoch: 1_700_000_000_000) }
        )
    }

    func fromClient(_ line: String) -> [Delivery] {
        if let name = (try? JSONParser.parse(line))?["params"]?["name"]?.stringValue { named.names.append(name) }
        var deliveries: [Delivery] = []
        interceptor.receiveFromClient(.message(ByteBuffer(string: line)), into: &deliveries)
        return answeringOwnListing(deliveries)
    }

    func fromServer(_ line: String) -> [Delivery] {
        var deliveries: [Delivery] = []
        interceptor.receiveFromServer(.message(ByteBuffer(string: line)), into: &deliveries)
        return answeringOwnListing(deliveries)
    }

    private func answeringOwnListing(_ deliveries: [Delivery]) -> [Delivery] {
        guard autoList else { return deliveries }
        var out: [Delivery] = []
        for delivery in deliveries {
            let message = delivery.json
            guard delivery.destination == .server, message["method"]?.stringValue == "tools/list",
                let id = message["id"]?.stringValue, id.hasPrefix("warden-own-")
            else {
                out.append(delivery)
                continue
            }
            let tools = named.names.map { name -> JSONValue in ["name": .string(name), "inputSchema": ["type": "object"]] }
            let answer = JSONValue.object(["jsonrpc": "2.0", "id": .string(id), "result": ["tools": .array(tools)]])
            out += fromServer(answer.encodedString)
        }
        return out
    }
}

extension Delivery {
    var bytes: String {
        switch payload {
        case .original(let buffer): String(buffer: buffer)
        case .rewritten(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }

    var json: JSONValue { (try? JSONParser.parse(bytes)) ?? .null }

    var isOriginal: Bool {
        if case .original = payload { return true }
        return false
    }
}

let examplePolicy = """
    version: 1
    default: allow
    hide: [delete_record, "admin_*"]
    rules:
      - name: exports go to the approved bucket only
        tool: start_export_job
        when:
          args.destination_uri: {not_starts_with: "s3://approved/"}
        action: deny
        reason: Export destination must be the approved bucket
      - name: only the desktop client may charge
        tool: create_charge
        when:
          client.name: {ne: desktop}
        action: deny
        reason: Charges only from the desktop client
    """

