import NIOCore
import WardenMCP

/// Where a gateway session's messages for the upstream server go. Called on the session's event loop.
protocol UpstreamLink: AnyObject, Sendable {
    /// Sends one JSON-RPC message to the server.
    func send(_ message: ByteBuffer)
    /// Ends the connection: a child process is asked to exit, a remote session is deleted.
    func close()
}

/// What an upstream link reports back to the session that owns it; always called on the session's loop.
protocol UpstreamEvents: AnyObject, Sendable {
    func upstreamMessage(_ frame: FramedMessage)
    func upstreamClosed(reason: String)
}
