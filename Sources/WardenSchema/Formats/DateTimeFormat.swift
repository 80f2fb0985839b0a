/// RFC 3339 `date-time` and `full-date`, with real calendar days and leap seconds only at 23:59:60 UTC.
enum DateTimeFormat {
    static func isFullDate(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return scalars.count == 10 && date(scalars[...]) != nil
    }

    /// `1963-06-19T08:30:06.283185Z`, `…+01:00`; `T` and `Z` in either case.
    static func isDateTime(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 20, date(scalars[0..<10]) != nil, scalars[10] == "T" || scalars[10] == "t" else { return false }
        guard let hour = number(scalars[11..<13]), scalars[13] == ":", let minute = number(scalars[14..<16]), scalars[16] == ":",
            let second = number(scalars[17..<19])
        else { return false }
        var index = 19
        if scalars[index] == "." {
            index += 1
            let start = index
            while index < scalars.count, isDigit(scalars[index]) { index += 1 }
            guard index > start else { return false }
        }
        guard index < scalars.count else { return false }
        var offsetMinutes = 0
        switch scalars[index] {
        case "Z", "z":
            index += 1
        case "+", "-":
            guard scalars.count == index + 6, let offsetHour = number(scalars[(index + 1)..<(index + 3)]), scalars[index + 3] == ":",
                let offsetMinute = number(scalars[(index + 4)..<(index + 6)]), offsetHour <= 23, offsetMinute <= 59
            else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (scalars[index] == "+" ? 1 : -1)
            index += 6
        default:
            return false
        }
        guard index == scalars.count, hour <= 23, minute <= 59, second <= 60 else { return false }
        if second == 60 {
            // A leap second is the last second of a UTC day: 23:59:60 once the offset is taken off.
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    /// (year, month, day) of `YYYY-MM-DD` when the day exists.
    private static func date(_ scalars: ArraySlice<Unicode.Scalar>) -> (Int, Int, Int)? {
        let base = scalars.startIndex
        guard scalars.count == 10, let year = number(scalars[base..<(base + 4)]), scalars[base + 4] == "-",
            let month = number(scalars[(base + 5)..<(base + 7)]), scalars[base + 7] == "-", let day = number(scalars[(base + 8)..<(base + 10)]),
            (1...12).contains(month), day >= 1
        else { return nil }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1] ? (year, month, day) : nil
    }

    private static func number(_ scalars: ArraySlice<Unicode.Scalar>) -> Int? {
        var value = 0
        for scalar in scalars {
            guard isDigit(scalar) else { return nil }
            value = value * 10 + Int(scalar.value - 0x30)
        }
        return value
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
