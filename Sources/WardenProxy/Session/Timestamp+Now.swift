import Foundation
public import WardenPolicy

extension Timestamp {
    /// The wall-clock time now.
    ///
    /// Read through `Date` rather than `clock_gettime`: with Dispatch in the build, the C `timespec` is declared by
    /// two modules, and a release build refuses its members under member import visibility.
    @Sendable
    public static func now() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
