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
            #if canImport(Darwin)
                // Darwin's signal sources see a signal only when its action is to ignore it. Elsewhere Dispatch installs a
                // handler of its own, shared with any other source of the signal (the service group's), which SIG_IGN
                // would replace, and then the signal would reach no source at all.
                signal(number, SIG_IGN)
            #endif
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
