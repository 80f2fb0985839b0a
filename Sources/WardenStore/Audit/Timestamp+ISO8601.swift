public import WardenPolicy

extension Timestamp {
    /// The time in UTC as ISO 8601 with milliseconds, `2026-11-25T10:00:00.123Z`: how the trail shows time to programs.
    public var iso8601: String {
        let (date, time) = civilParts
        let milliseconds = Int(floorMod(millisecondsSinceEpoch, 1000))
        return "\(date)T\(time).\(pad(milliseconds, 3))Z"
    }

    /// The time in UTC to the second, `2026-11-25 10:00:00`: how the trail shows time to people.
    public var utcText: String {
        let (date, time) = civilParts
        return "\(date) \(time)"
    }

    /// Reads `2026-11-25T10:00:00Z`, with optional fractional seconds, a `±HH:MM` offset instead of `Z`, a space
    /// instead of `T`, or a date alone (midnight UTC). Nil for anything else: a time that is guessed at silently
    /// filters the wrong records.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<(index + digits)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var milliseconds = Self.daysFromCivil(year: year, month: month, day: day) * 86_400_000
        guard index < bytes.count else {
            self.init(millisecondsSinceEpoch: milliseconds)
            return
        }
        guard expect("T") || expect("t") || expect(" "), let hour = number(2), expect(":"), let minute = number(2),
            hour < 24, minute < 60
        else { return nil }
        var second: Int64 = 0
        if expect(":") {
            guard let value = number(2), value < 60 else { return nil }
            second = value
        }
        milliseconds += (hour * 3600 + minute * 60 + second) * 1000
        if expect(".") {
            var scale: Int64 = 100
            let start = index
            while index < bytes.count, let digit = number(1) {
                milliseconds += digit * scale
                scale /= 10
            }
            guard index > start else { return nil }
        }
        if expect("Z") || expect("z") {
            // UTC
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            index += 1
            guard let hours = number(2) else { return nil }
            _ = expect(":")  // `+01:00` and `+0100` both occur
            guard let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            milliseconds -= sign * (hours * 60 + minutes) * 60_000
        } else {
            return nil  // a time without a zone would be read in whichever zone the reader is in
        }
        guard index == bytes.count else { return nil }
        self.init(millisecondsSinceEpoch: milliseconds)
    }

    private var civilParts: (date: String, time: String) {
        let days = floorDiv(millisecondsSinceEpoch, 86_400_000)
        let (year, month, day) = Self.civil(fromDays: days)
        let secondOfDay = Int(floorMod(millisecondsSinceEpoch, 86_400_000) / 1000)
        let date = "\(pad(Int(year), 4))-\(pad(Int(month), 2))-\(pad(Int(day), 2))"
        let time = "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        return (date, time)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day counted from 1970-01-01: the inverse of ``daysFromCivil(year:month:day:)``.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

private func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
    let remainder = a % b
    return remainder < 0 ? remainder + b : remainder
}
