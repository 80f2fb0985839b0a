public import NIOCore
public import WardenMCP

/// Where a session's messages for the upstream server go: a child process, a shared one, or a remote server.
///
/// Called on the session's event loop. The flow-control members have defaults for links that buffer without
/// bound (a remote server's requests are separate POSTs); a pipe to a child says when it is full, so the stdio
/// relay can stop reading its client until the child catches up.
public protocol UpstreamLink: AnyObject, Sendable {
    /// Sends one JSON-RPC message to the server, flushed at once.
    func send(_ message: ByteBuffer)
    /// Queues one message; `flush()` sends what is queued. For a burst of messages read together.
    func write(_ message: ByteBuffer)
    /// Sends what `write(_:)` queued.
    func flush()
    /// Whether the server can take more now; when it becomes true again the link calls `upstreamWritabilityChanged()`.
    var isWritable: Bool { get }
    /// Reads from the server again after `UpstreamEvents.upstreamMayRead()` said no.
    func readMore()
    /// Whether the link stops reading from the server while `UpstreamEvents.upstreamMayRead()` says no; a link
    /// that cannot (a remote server's event streams, a process other sessions share) delivers regardless.
    var pausesReading: Bool { get }
    /// Ends the connection: a child process is asked to exit, a remote session is deleted.
    func close()
}

extension UpstreamLink {
    public func write(_ message: ByteBuffer) { send(message) }
    public func flush() {}
    public var isWritable: Bool { true }
    public func readMore() {}
    public var pausesReading: Bool { false }
}

/// What an upstream link reports back to the session that owns it; always called on the session's loop.
public protocol UpstreamEvents: AnyObject, Sendable {
    func upstreamMessage(_ frame: FramedMessage)
    /// The end of a burst of messages read together: a moment to flush what they produced.
    func upstreamReadComplete()
    /// Whether the link may read more from the server now: not while the client cannot take what it would bring.
    func upstreamMayRead() -> Bool
    /// The server can take more again (see `UpstreamLink.isWritable`).
    func upstreamWritabilityChanged()
    func upstreamClosed(reason: String)
}

extension UpstreamEvents {
    public func upstreamReadComplete() {}
    public func upstreamMayRead() -> Bool { true }
    public func upstreamWritabilityChanged() {}
}

/// An upstream one session owns from its start to its end, as `warden run` has: a child process or a remote server.
public protocol SessionUpstream: UpstreamLink {
    /// The client will send nothing more: end once what is in flight is done (a child's stdin is closed and it is
    /// asked to stop if it lingers; a remote server gets a moment to answer, then its session is deleted).
    func finish()
    /// Waits until the upstream has ended, with nothing more to read from it, and returns the status `warden run`
    /// exits with: the child's, or 0 for a remote server.
    func ended() async -> Int32
}
