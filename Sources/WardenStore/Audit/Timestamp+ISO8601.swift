public import WardenPolicy

extension Timestamp {
    /// The time in UTC as ISO 8601 with milliseconds, `2026-11-25T10:00:00.123Z`: how the trail shows time to programs.
    public var iso8601: String {
        let (date, time) = civilParts
        let milliseconds = Int(CivilDate.floorMod(millisecondsSinceEpoch, 1000))
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
            (1...12).contains(month), (1...CivilDate.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        var milliseconds = CivilDate(year: year, month: month, day: day).daysSince1970 * 86_400_000
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
        let civil = CivilDate(daysSince1970: CivilDate.floorDiv(millisecondsSinceEpoch, 86_400_000))
        let secondOfDay = Int(CivilDate.floorMod(millisecondsSinceEpoch, 86_400_000) / 1000)
        let date = "\(pad(Int(civil.year), 4))-\(pad(Int(civil.month), 2))-\(pad(Int(civil.day), 2))"
        let time = "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        return (date, time)
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
