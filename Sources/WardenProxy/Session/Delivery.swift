public import NIOCore
public import WardenMCP

/// One message the interceptor wants sent, and to which side.
public struct Delivery: Sendable {
    /// Which end of the session receives the message.
    public struct Destination: Hashable, Sendable {
        private enum Base: Hashable, Sendable { case client, server }
        private let base: Base
        /// The agent's MCP client.
        public static let client = Destination(base: .client)
        /// The upstream MCP server.
        public static let server = Destination(base: .server)
    }

    /// The message's bytes, without the transport's framing.
    public enum Payload: Sendable {
        /// Exactly the bytes that arrived: a message passed through untouched.
        case original(ByteBuffer)
        /// Bytes Warden wrote: a reply of its own or a message it changed.
        case rewritten([UInt8])
    }

    public var destination: Destination
    public var payload: Payload
    /// What the interceptor found when it inspected an `.original` payload, so the transport need not inspect it
    /// again; nil for messages Warden wrote, and where nobody inspected them.
    public var envelope: MessageEnvelope?

    public static func toClient(_ payload: Payload, envelope: MessageEnvelope? = nil) -> Delivery {
        Delivery(destination: .client, payload: payload, envelope: envelope)
    }
    public static func toServer(_ payload: Payload, envelope: MessageEnvelope? = nil) -> Delivery {
        Delivery(destination: .server, payload: payload, envelope: envelope)
    }
}
