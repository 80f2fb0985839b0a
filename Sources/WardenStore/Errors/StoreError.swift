/// A store that could not be opened, read or written; the proxy fails closed on it.
public struct StoreError: Error, Hashable, Sendable {
    /// What went wrong, as a stable code that tests and tools match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidLocation, unavailable, cannotOpen, cannotRead, cannotWrite
        }

        private let base: Base

        /// The `--store` value or path could not be understood.
        public static let invalidLocation = Code(base: .invalidLocation)
        /// The store kind is recognized but not built into this version.
        public static let unavailable = Code(base: .unavailable)
        /// The store could not be created or opened.
        public static let cannotOpen = Code(base: .cannotOpen)
        /// The store's contents could not be read.
        public static let cannotRead = Code(base: .cannotRead)
        /// A change could not be saved (disk full, file locked by another process, read-only file system, …).
        public static let cannotWrite = Code(base: .cannotWrite)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The store it is about: a file path, or a location with any password removed.
    public var location: String
    /// One sentence a person can act on.
    public var message: String

    public init(code: Code, location: String, message: String) {
        self.code = code
        self.location = location
        self.message = message
    }
}

extension StoreError: CustomStringConvertible {
    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
