public import NIOCore
public import WardenMCP

/// Runs a session's interceptor on one event loop: feeds it messages, hands its deliveries to the transport, and
/// runs its store work off the loop, bringing each result back to it. Every transport (stdio, HTTP, the bridge)
/// drives its interceptor through one of these.
public final class InterceptorDriver: @unchecked Sendable {
    // @unchecked: every stored var is touched only on `loop`.
    public let loop: any EventLoop
    public let interceptor: SessionInterceptor
    /// Sends what the interceptor produced; `flushNow` is false only for messages read in a burst, which the
    /// transport may flush once at the burst's end.
    private let deliver: (_ deliveries: [Delivery], _ flushNow: Bool) -> Void
    private var deliveries: [Delivery] = []
    private var work: [Int: Task<Void, Never>] = [:]
    private var nextWorkID = 0
    /// Runs store work that only awaits on this driver's loop (see `StoreWork.staysOnLoop`).
    private lazy var loopExecutor = EventLoopTaskExecutor(fallback: loop)

    public init(loop: any EventLoop, interceptor: SessionInterceptor, deliver: @escaping (_ deliveries: [Delivery], _ flushNow: Bool) -> Void) {
        self.loop = loop
        self.interceptor = interceptor
        self.deliver = deliver
    }

    public func fromClient(_ frame: FramedMessage) {
        run(flushNow: false) { interceptor.receiveFromClient(frame, into: &$0) }
    }

    public func fromServer(_ frame: FramedMessage) {
        run(flushNow: false) { interceptor.receiveFromServer(frame, into: &$0) }
    }

    public func upstreamClosed() {
        run(flushNow: true) { interceptor.upstreamClosed(into: &$0) }
    }

    public func expireOverdueCalls() {
        run(flushNow: true) { interceptor.expireOverdueCalls(into: &$0) }
    }

    public var hasCallTimeout: Bool { interceptor.callTimeout != nil }

    /// Store work still running.
    public var outstandingWork: [Task<Void, Never>] { Array(work.values) }

    public func cancelWork() {
        for task in work.values { task.cancel() }
    }

    private func run(flushNow: Bool, _ body: (inout [Delivery]) -> Void) {
        loop.preconditionInEventLoop()
        deliveries.removeAll(keepingCapacity: true)
        body(&deliveries)
        if !deliveries.isEmpty {
            let produced = deliveries
            deliver(produced, flushNow)
        }
        startStoreWork()
    }

    private func startStoreWork() {
        for item in interceptor.takeStoreWork() {
            let workID = nextWorkID
            nextWorkID += 1
            // Each task runs one short store operation (or one wait for a person) and removes itself.
            work[workID] = Task(executorPreference: item.staysOnLoop ? loopExecutor : nil) { [self] in
                let resolution = await item.run { intermediate in
                    self.loop.execute { self.resolve(intermediate) }
                }
                loop.execute {
                    self.work[workID] = nil
                    if let resolution { self.resolve(resolution) }
                }
            }
        }
    }

    private func resolve(_ resolution: StoreWorkResult) {
        run(flushNow: true) { interceptor.resolve(resolution, into: &$0) }
    }
}

extension Delivery.Payload {
    /// The bytes to send, as a buffer.
    public var buffer: ByteBuffer {
        switch self {
        case .original(let original): original
        case .rewritten(let bytes): ByteBuffer(bytes: bytes)
        }
    }
}
