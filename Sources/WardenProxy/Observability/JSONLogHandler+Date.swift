import Foundation

extension JSONLogHandler {
    /// The RFC 3339 form of `date`, for tests written against `Date`; logging itself reads the clock without Foundation.
    static func timestamp(_ date: Date) -> String {
        LogTimestamp(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded(.down))).description
    }
}
