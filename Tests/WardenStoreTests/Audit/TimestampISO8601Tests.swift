import Testing
import WardenPolicy
import WardenStore
import WardenTesting

@Suite("ISO 8601 times")
struct TimestampISO8601Tests {
    @Test("times print in UTC with milliseconds, including before 1970 and on leap days")
    func formats() {
        #expect(Timestamp(millisecondsSinceEpoch: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: 1_764_064_800_123).iso8601 == "2025-11-25T10:00:00.123Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(millisecondsSinceEpoch: 951_782_400_000).iso8601 == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: 1_764_064_800_123).utcText == "2025-11-25 10:00:00")
    }

    @Test("every printed time reads back as the same instant")
    func roundTrips() {
        var random = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let milliseconds = Int64(bitPattern: random.next() % 8_000_000_000_000) - 2_000_000_000_000
            let time = Timestamp(millisecondsSinceEpoch: milliseconds)
            #expect(Timestamp(iso8601: time.iso8601) == time, "\(time.iso8601)")
        }
    }

    @Test(
        "the usual spellings read, with zones applied",
        arguments: [
            ("2025-11-25T10:00:00Z", 1_764_064_800_000),
            ("2025-11-25 10:00:00Z", 1_764_064_800_000),
            ("2025-11-25T10:00Z", 1_764_064_800_000),
            ("2025-11-25T10:00:00.5Z", 1_764_064_800_500),
            ("2025-11-25T11:00:00+01:00", 1_764_064_800_000),
            ("2025-11-25T05:30:00-0430", 1_764_064_800_000),
            ("2025-11-25", 1_764_028_800_000),
        ] as [(String, Int64)]
    )
    func parses(text: String, milliseconds: Int64) {
        #expect(Timestamp(iso8601: text) == Timestamp(millisecondsSinceEpoch: milliseconds))
    }

    @Test(
        "anything else is refused rather than guessed at",
        arguments: [
            "", "yesterday", "2025-11-25T10:00:00", "2025-13-01", "2025-02-30", "2025-11-25T24:00Z", "2025-11-25T10:00:00Zjunk", "25-11-25",
        ]
    )
    func refuses(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }
}
