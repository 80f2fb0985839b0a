import Testing
import WardenPolicy

/// The helpers every loader and command shares: one duration parser, one `${NAME}` expansion, one calendar.
struct SharedReadingTests {
    @Test(
        "durations read the same everywhere: seconds by default, ms to d, decimals; negatives, bare units and overflow are refused",
        arguments: [
            ("90", Int64(90_000)), ("500ms", 500), ("30s", 30_000), ("1.5m", 90_000), ("12h", 43_200_000), ("7d", 604_800_000),
            ("0", 0),
        ] as [(String, Int64)]
    )
    func durations(text: String, milliseconds: Int64) {
        #expect(DurationText.parse(text) == .milliseconds(milliseconds))
    }

    @Test("text that is not a duration gives nil", arguments: ["", "-5s", "s", "5x", ".5s", "5.s", "1.2.3s", "99999999999999999d"])
    func notDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("${NAME} is replaced from the environment; an unset name or a missing } is a coded error, never an empty secret")
    func environmentExpansion() throws {
        #expect(try EnvironmentText.expand("Bearer ${TOKEN}!", environment: ["TOKEN": "t0k"]) == "Bearer t0k!")
        #expect(try EnvironmentText.expand("no variables", environment: [:]) == "no variables")
        #expect(throws: EnvironmentTextError(code: .unset, name: "NOPE")) { try EnvironmentText.expand("${NOPE}", environment: [:]) }
        #expect(throws: EnvironmentTextError(code: .unclosed, name: nil)) { try EnvironmentText.expand("${OPEN", environment: ["OPEN": "x"]) }
        #expect(EnvironmentTextError(code: .unset, name: "NOPE").description == "the environment variable `NOPE` is not set")
    }

    @Test("the calendar turns day counts into dates and back, before 1970, across leap days and at era boundaries")
    func civilDates() {
        let cases: [(Int64, CivilDate)] = [
            (0, CivilDate(year: 1970, month: 1, day: 1)),
            (-1, CivilDate(year: 1969, month: 12, day: 31)),
            (11_016, CivilDate(year: 2000, month: 2, day: 29)),
            (20_416, CivilDate(year: 2025, month: 11, day: 24)),
            (-719_468, CivilDate(year: 0, month: 3, day: 1)),
        ]
        for (days, date) in cases {
            #expect(CivilDate(daysSince1970: days) == date, "\(days)")
            #expect(date.daysSince1970 == days, "\(date)")
        }
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            #expect(CivilDate(daysSince1970: days).daysSince1970 == days)
        }
        #expect(CivilDate.days(inMonth: 2, year: 1900) == 28 && CivilDate.days(inMonth: 2, year: 2000) == 29)
        #expect(CivilDate.floorDiv(-1, 1000) == -1 && CivilDate.floorMod(-1, 1000) == 999)
    }
}
