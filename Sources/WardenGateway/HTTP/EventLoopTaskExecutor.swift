import NIOCore
import NIOPosix

/// Runs the HTTP handlers' async code on SwiftNIO event loops rather than on the shared cooperative pool.
///
/// A job runs on the event loop of the thread that made it ready: the connection's loop when a request arrives, the
/// session's loop when its answer does. A call then does not wake a pool thread and hop back to a loop to write its
/// answer, which is most of what the hops cost on a small machine. A job made ready elsewhere (a timer, a pool
/// thread) goes to one of `fallback`'s loops.
///
/// Code that runs under this preference must not block: it shares its thread with the connections of that loop.
final class EventLoopTaskExecutor: TaskExecutor {
    private let fallback: any EventLoopGroup

    init(fallback: any EventLoopGroup) {
        self.fallback = fallback
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? fallback.next()
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
