public import NIOCore
import NIOPosix

/// Runs async code on SwiftNIO event loops rather than on the shared cooperative pool: the gateway's HTTP handlers,
/// and a session's short store work.
///
/// A job runs on the event loop of the thread that made it ready: the connection's loop when a request arrives, the
/// session's loop when its answer does. A call then does not wake a pool thread and hop back to a loop to write its
/// answer, which is most of what the hops cost on a small machine. A job made ready elsewhere (a timer, a pool
/// thread, a database queue) goes to one of `fallback`'s loops (a single loop is a group of one).
///
/// Code that runs under this preference must not block: it shares its thread with the connections of that loop.
public final class EventLoopTaskExecutor: TaskExecutor {
    private let fallback: any EventLoopGroup

    public init(fallback: any EventLoopGroup) {
        self.fallback = fallback
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? fallback.next()
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
