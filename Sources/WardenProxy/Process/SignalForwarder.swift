import Dispatch
import Foundation

/// Forwards the signals a user or client sends Warden to a child's process group, while it lives.
public final class SignalForwarder: @unchecked Sendable {
    // @unchecked: the sources are set once in init and only cancelled afterwards, which Dispatch allows from any thread.
    private let sources: [any DispatchSourceSignal]

    /// Starts forwarding SIGINT, SIGTERM and SIGHUP to `child`; Warden itself no longer stops on them.
    public init(child: ChildProcess) {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { child.signal(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    public func stop() {
        for source in sources { source.cancel() }
    }
}
