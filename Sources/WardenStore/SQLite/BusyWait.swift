import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// How a connection waits for another connection's write lock on the shared file.
///
/// SQLite's own busy timeout sleeps a millisecond or more between tries, which is ten times as long as the writes
/// that hold the lock here (an audit batch, a limit entry). This waits 20 µs first and doubles up to a millisecond,
/// so a write that meets another one goes on about when it ends, and gives up once `timeout` has passed, as before.
enum BusyWait {
    static func mode(timeout seconds: Double) -> Database.BusyMode {
        guard seconds > 0 else { return .immediateError }
        let budget = Duration.nanoseconds(Int64(seconds * 1e9))
        // When the current wait began; a connection is used by one thread at a time, and each wait starts at try 0.
        let began = Mutex(ContinuousClock.now)
        return .callback { tries in
            let now = ContinuousClock.now
            let waited = began.withLock { start in
                if tries == 0 { start = now }
                return now - start
            }
            if waited >= budget { return false }
            usleep(useconds_t(delay(tries)))
            return true
        }
    }

    /// Microseconds to sleep after try `tries`.
    static func delay(_ tries: Int) -> Int {
        min(20 << min(tries, 6), 1_000)
    }
}
