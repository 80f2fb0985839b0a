import WardenPolicy

/// A wall-clock instant written as RFC 3339 in UTC with milliseconds (`2025-11-24T16:00:00.123Z`).
///
/// Computed with integer arithmetic rather than a date formatter: it runs once per log line, and a decision's whole
/// budget is a few microseconds.
struct LogTimestamp: Hashable, Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z; negative before it.
    var millisecondsSince1970: Int64

    init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// The system's wall clock now.
    static func now() -> LogTimestamp {
        LogTimestamp(millisecondsSince1970: Timestamp.now().millisecondsSinceEpoch)
    }

    /// Appends the 24 bytes of the RFC 3339 form.
    func write(into bytes: inout [UInt8]) {
        let milliseconds = CivilDate.floorMod(millisecondsSince1970, 1000)
        let seconds = CivilDate.floorDiv(millisecondsSince1970, 1000)
        let secondOfDay = CivilDate.floorMod(seconds, 86_400)
        let date = CivilDate(daysSince1970: CivilDate.floorDiv(seconds, 86_400))
        Self.append(date.year, digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.append(date.month, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.append(date.day, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        Self.append(secondOfDay / 3600, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(secondOfDay % 3600 / 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(secondOfDay % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        Self.append(milliseconds, digits: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` in decimal, zero-padded to `digits`; years past 9999 simply grow.
    private static func append(_ value: Int64, digits: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var width = 1
        var power: UInt64 = 10
        while width < 19, magnitude >= power {
            width += 1
            power *= 10
        }
        for _ in width..<max(digits, width) { bytes.append(UInt8(ascii: "0")) }
        var divisor = power / 10
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
