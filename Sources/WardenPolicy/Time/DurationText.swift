/// Durations as people type them in a policy, a gateway config or on the command line: `90` (seconds), `500ms`,
/// `30s`, `1.5m`, `12h`, `7d`.
///
/// The one duration parser in Warden, so a value accepted in one place is accepted in every other.
public enum DurationText {
    /// The duration, rounded to whole milliseconds; nil for anything else, including negative values and overflow.
    public static func parse(_ text: String) -> Duration? {
        milliseconds(in: text).map { .milliseconds($0) }
    }

    /// Whole milliseconds in `text`, zero included.
    public static func milliseconds(in text: String) -> Int64? {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        var number = Substring(text)
        var scale = 1000.0
        // "ms" also ends in "s": the first unit that matches, the longer one, wins.
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            scale = unit.milliseconds
            break
        }
        guard !number.isEmpty, number.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." }),
            number.filter({ $0 == "." }).count <= 1, number.first != ".", number.last != ".", let value = Double(number)
        else { return nil }
        let milliseconds = (value * scale).rounded()
        guard milliseconds < 9.0e15 else { return nil }
        return Int64(milliseconds)
    }
}
