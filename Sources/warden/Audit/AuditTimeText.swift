import WardenPolicy
import WardenStore

/// A point in time as people give it to `--since` and `--until`: a duration back from now (`30m`, `1h`, `7d`) or an
/// ISO 8601 time in UTC or with an offset (`2026-11-25T10:00:00Z`, `2026-11-25`).
enum AuditTimeText {
    static func parse(_ text: String, now: Timestamp) -> Timestamp? {
        if let duration = DurationText.parse(text) { return now - duration }
        return Timestamp(iso8601: text)
    }

    static let help = "a duration back from now (30m, 1h, 7d) or a time (2026-11-25T10:00:00Z)"
}
