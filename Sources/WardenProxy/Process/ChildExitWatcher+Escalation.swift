import Foundation
public import Logging
public import NIOCore

extension ChildExitWatcher {
    /// Asks a child whose stdin was just closed to stop if it lingers: SIGTERM after `grace`, SIGKILL as long again
    /// later. The one escalation every child gets, in `warden run` and in the gateway.
    public func escalate(_ child: ChildProcess, on loop: any EventLoop, grace: TimeAmount, logger: Logger) {
        loop.scheduleTask(in: grace) {
            guard !self.hasExited else { return }
            logger.notice("upstream still running after its stdin closed; sending SIGTERM", metadata: ["pid": "\(child.pid)"])
            child.signal(SIGTERM)
            loop.scheduleTask(in: grace) {
                guard !self.hasExited else { return }
                logger.warning("upstream ignored SIGTERM; sending SIGKILL", metadata: ["pid": "\(child.pid)"])
                child.signal(SIGKILL)
            }
        }
    }
}
