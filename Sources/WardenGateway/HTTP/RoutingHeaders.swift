import Foundation
import HTTPTypes
import NIOCore
import WardenJSON
import WardenMCP

/// The 2026-07-28 routing headers must say what the body says, or a rule on the body could be sidestepped by a
/// server or intermediary that reads the header.
enum RoutingHeaders {
    static let paramPrefix = "mcp-param-"

    /// Why the headers disagree with the message, or nil when they agree (or are absent).
    static func mismatch(_ headers: HTTPFields, message: ByteBuffer, envelope: MessageEnvelope) -> String? {
        let method = headers[MCPEndpoint.methodHeader]
        let name = headers[MCPEndpoint.nameHeader]
        let params = headers.filter { $0.name.canonicalName.hasPrefix(paramPrefix) }
        guard method != nil || name != nil || !params.isEmpty else { return nil }
        if let method, method != envelope.method {
            return "the Mcp-Method header says `\(method)` but the body's method is `\(envelope.method ?? "none")`"
        }
        let body = envelope.params.flatMap { range in
            message.withUnsafeReadableBytes { try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
        if let version = headers[MCPEndpoint.versionHeader], let meta = body?["_meta"]?["io.modelcontextprotocol/protocolVersion"]?.stringValue,
            meta != version
        {
            return "the MCP-Protocol-Version header says `\(version)` but the request's _meta says `\(meta)`"
        }
        if let name = name.map(decode) {
            let named = body?["name"]?.stringValue ?? body?["uri"]?.stringValue
            if named != name { return "the Mcp-Name header says `\(name)` but the body names `\(named ?? "nothing")`" }
        }
        if !params.isEmpty {
            guard case .object(let arguments)? = body?["arguments"] else {
                return "Mcp-Param headers were sent but the body has no arguments"
            }
            for field in params {
                let key = String(field.name.canonicalName.dropFirst(paramPrefix.count))
                let match = arguments.keys.first { $0.lowercased() == key }
                guard let match, let value = arguments[match] else {
                    return "the header \(field.name) names an argument the body does not have"
                }
                let text: String
                switch value {
                case .string(let string): text = string
                default: text = value.encodedString
                }
                if text != decode(field.value) { return "the header \(field.name) does not match the argument `\(match)` in the body" }
            }
        }
        return nil
    }

    /// A header value as sent, or the UTF-8 text inside a `=?base64?…?=` wrapper (used for values a header cannot
    /// carry as they are). A wrapper that does not decode gives a value that matches nothing.
    static func decode(_ value: String) -> String {
        guard value.hasPrefix("=?base64?"), value.hasSuffix("?="), value.count >= 11 else { return value }
        let payload = String(value.dropFirst(9).dropLast(2))
        guard let data = Data(base64Encoded: payload), let text = String(data: data, encoding: .utf8) else { return "\u{0}undecodable" }
        return text
    }
}
