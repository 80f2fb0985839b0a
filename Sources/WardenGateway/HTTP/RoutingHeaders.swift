import Foundation
import HTTPTypes
import NIOCore
import WardenJSON
import WardenMCP

/// The 2026-07-28 routing headers must say what the body says, or a rule on the body could be sidestepped by a
/// server or intermediary that reads the header.
enum RoutingHeaders {
    static let paramPrefix = "mcp-param-"

    static let metaVersionKey = "io.modelcontextprotocol/protocolVersion"

    /// Why the headers disagree with the message, or nil when they agree (or are absent).
    static func mismatch(_ headers: HTTPFields, message: ByteBuffer, envelope: MessageEnvelope) -> String? {
        let method = headers[MCPEndpoint.methodHeader]
        let name = headers[MCPEndpoint.nameHeader]
        let version = headers[MCPEndpoint.versionHeader]
        let params = headers.filter { $0.name.canonicalName.hasPrefix(paramPrefix) }
        guard method != nil || name != nil || !params.isEmpty || version != nil else { return nil }
        if let method, !same(method, envelope.method) {
            return "the Mcp-Method header says `\(method)` but the body's method is `\(envelope.method ?? "none")`"
        }
        // A version header alone is on nearly every request: the params are parsed only when they could name a version.
        let mayNameVersion = method != nil || name != nil || !params.isEmpty || mentionsVersion(message, params: envelope.params)
        let body = envelope.params.flatMap { range in
            mayNameVersion ? message.withUnsafeReadableBytes { try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[range])) } : nil
        }
        if let version, let meta = body?["_meta"]?[metaVersionKey], !same(version, meta.stringValue) {
            return "the MCP-Protocol-Version header says `\(version)` but the request's _meta says \(meta.encodedString)"
        }
        if let name = name.map(decode) {
            let named = body?["name"]?.stringValue ?? body?["uri"]?.stringValue
            if !same(name, named) { return "the Mcp-Name header says `\(name)` but the body names `\(named ?? "nothing")`" }
        }
        if !params.isEmpty {
            guard case .object(let arguments)? = body?["arguments"] else {
                return "Mcp-Param headers were sent but the body has no arguments"
            }
            for field in params {
                let key = String(field.name.canonicalName.dropFirst(paramPrefix.count))
                let matches = arguments.members.filter { same(key, asciiLowercased($0.key)) }
                guard matches.count <= 1 else {
                    let names = matches.map { "`\($0.key)`" }.joined(separator: ", ")
                    return "the header \(field.name) could name any of the arguments \(names); send arguments whose names differ in more than case"
                }
                guard let (match, value) = matches.first else {
                    return "the header \(field.name) names an argument the body does not have"
                }
                let text: String
                switch value {
                case .string(let string): text = string
                default: text = value.encodedString
                }
                if !same(decode(field.value), text) { return "the header \(field.name) does not match the argument `\(match)` in the body" }
            }
        }
        return nil
    }

    /// Byte-for-byte equality of the UTF-8: Swift's `==` would call canonically equivalent spellings equal, which
    /// servers do not.
    static func same(_ header: String, _ body: String?) -> Bool {
        guard let body else { return false }
        return header.utf8.elementsEqual(body.utf8)
    }

    /// Whether the params could hold `_meta`'s protocol version: they spell it out, or use escapes that could.
    static func mentionsVersion(_ message: ByteBuffer, params: Range<Int>?) -> Bool {
        guard let params else { return false }
        return message.withUnsafeReadableBytes { bytes in
            let slice = UnsafeRawBufferPointer(rebasing: bytes[params])
            return slice.contains(UInt8(ascii: "\\")) || slice.firstRange(of: Array("protocolVersion".utf8)) != nil
        }
    }

    /// `text` with only A-Z lowercased, as an HTTP header name is: `"\u{212A}ey"` (Kelvin sign) is not `key`.
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
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
