import NIOCore
import Synchronization

/// Counts open connections against a limit, from the event loop and `closeFuture` callbacks alike.
final class ConnectionCount: Sendable {
    private let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot if one is free.
    func admit() -> Bool {
        let (_, now) = open.add(1, ordering: .relaxed)
        if now <= limit { return true }
        open.subtract(1, ordering: .relaxed)
        return false
    }

    func release() {
        open.subtract(1, ordering: .relaxed)
    }
}

/// Closes a connection past the connection limit as soon as it is set up; an admitted one gives its slot back when
/// it closes.
final class ConnectionAdmission: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let count: ConnectionCount

    init(count: ConnectionCount) {
        self.count = count
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if count.admit() {
            context.channel.closeFuture.whenComplete { [count] _ in count.release() }
        } else {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ConnectionAdmission: Sendable {}
