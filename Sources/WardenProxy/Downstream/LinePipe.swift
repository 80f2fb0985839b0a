public import NIOCore
import NIOPosix
import WardenMCP

/// A channel over a pair of pipe descriptors that reads newline-framed messages: the shape of every stdio side
/// Warden speaks (the agent's client, a child server).
public enum LinePipe {
    /// Opens the channel on `loop`; `configure` adds the handler that takes the `FramedMessage`s.
    public static func open(
        on loop: any EventLoop,
        input: CInt,
        output: CInt,
        maxMessageSize: Int,
        configure: @escaping @Sendable (any Channel, ChannelPipeline.SynchronousOperations) throws -> Void
    ) async throws -> any Channel {
        try await NIOPipeBootstrap(group: loop)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ByteToMessageHandler(LineFrameDecoder(maxMessageSize: maxMessageSize)))
                    try configure(channel, sync)
                }
            }
            .takingOwnershipOfDescriptors(input: input, output: output)
            .get()
    }
}
