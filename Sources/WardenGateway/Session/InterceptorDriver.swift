import NIOCore
import WardenMCP
import WardenProxy

/// Runs a session's interceptor on one event loop: feeds it messages, hands its deliveries to the transport, and
/// runs its store work off the loop, bringing each result back to it.
final class InterceptorDriver: @unchecked Sendable {
    // @unchecked: every stored var is touched only on `loop`.
    let loop: any EventLoop
    let interceptor: SessionInterceptor
    private let deliver: ([Delivery]) -> Void
    private var deliveries: [Delivery] = []
    private var work: [Int: Task<Void, Never>] = [:]
    private var nextWorkID = 0

    init(loop: any EventLoop, interceptor: SessionInterceptor, deliver: @escaping ([Delivery]) -> Void) {
        self.loop = loop
        self.interceptor = interceptor
        self.deliver = deliver
    }

    func fromClient(_ frame: FramedMessage) {
        run { interceptor.receiveFromClient(frame, into: &$0) }
    }

    func fromServer(_ frame: FramedMessage) {
        run { interceptor.receiveFromServer(frame, into: &$0) }
    }

    func upstreamClosed() {
        run { interceptor.upstreamClosed(into: &$0) }
    }

    func expireOverdueCalls() {
        run { interceptor.expireOverdueCalls(into: &$0) }
    }

    var hasCallTimeout: Bool { interceptor.callTimeout != nil }

    /// Store work still running.
    var outstandingWork: [Task<Void, Never>] { Array(work.values) }

    func cancelWork() {
        for task in work.values { task.cancel() }
    }

    private func run(_ body: (inout [Delivery]) -> Void) {
        loop.preconditionInEventLoop()
        deliveries.removeAll(keepingCapacity: true)
        body(&deliveries)
        if !deliveries.isEmpty {
            let produced = deliveries
            deliver(produced)
        }
        startDeferredWork()
    }

    private func startDeferredWork() {
        for item in interceptor.takeDeferredWork() {
            let workID = nextWorkID
            nextWorkID += 1
            // Each task runs one short store operation (or one wait for a person) and removes itself.
            work[workID] = Task { [self] in
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

    private func resolve(_ resolution: DeferredResolution) {
        run { interceptor.resolve(resolution, into: &$0) }
    }
}
