extension SQLiteLimitStore {
    /// How the store uses its file; the defaults suit one proxy on one machine.
    public struct Configuration: Sendable {
        /// What a recorded forwarded call survives. Default: ``Durability/processCrash``.
        public var durability: Durability
        /// How long a write waits for another process that holds the file's write lock before failing with
        /// ``StoreError/Code/cannotWrite``. Default: 5 seconds. Zero fails at once.
        public var busyTimeout: Duration

        public init(durability: Durability = .processCrash, busyTimeout: Duration = .seconds(5)) {
            self.durability = durability
            self.busyTimeout = busyTimeout
        }
    }

    /// What a forwarded call's entry survives once `forwarded(_:at:)` has returned.
    public struct Durability: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case processCrash, powerLoss }

        private let base: Base

        /// The proxy being killed or crashing loses nothing it forwarded (SQLite `synchronous=NORMAL` in WAL mode);
        /// the operating system crashing or the power failing may lose the last few calls.
        public static let processCrash = Durability(base: .processCrash)

        /// The machine losing power loses nothing forwarded either (`synchronous=FULL`), at the cost of waiting for
        /// the disk (an fsync) on every forwarded call.
        public static let powerLoss = Durability(base: .powerLoss)

        public var description: String { base.rawValue }

        var synchronousPragma: String {
            switch base {
            case .processCrash: "NORMAL"
            case .powerLoss: "FULL"
            }
        }
    }
}
