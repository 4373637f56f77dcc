import Testing
@testable import OriginLens

@Suite struct TimeZoneTests {
    func wall(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int) -> Int64 {
        CivilTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: 0)! * 1_000_000
    }

    @Test func specParsing() {
        #expect(TimeZoneSpec(parsing: "UTC") == .utc)
        #expect(TimeZoneSpec(parsing: "+01:00") == .fixed(3600))
        #expect(TimeZoneSpec(parsing: "-0530") == .fixed(-19800))
        #expect(TimeZoneSpec(parsing: "Europe/Berlin") == .named("Europe/Berlin"))
        #expect(TimeZoneSpec(parsing: "Mars/Olympus") == nil)
        #expect(TimeZoneSpec(parsing: "+25:00") == nil)
        #expect(TimeZoneSpec.fixed(-19800).description == "-05:30")
    }

    @Test func berlinWinterAndSummer() {
        var c = LocalTimeConverter(.named("Europe/Berlin"))
        #expect(c.toUTC(wallUs: wall(2024, 1, 15, 11, 23)) == wall(2024, 1, 15, 10, 23))
        #expect(c.toUTC(wallUs: wall(2024, 7, 15, 12, 0)) == wall(2024, 7, 15, 10, 0))
    }

    @Test func springForwardGap() {
        var c = LocalTimeConverter(.named("Europe/Berlin"))
        // 2024-03-31 02:30 does not exist in Berlin; read with +01:00 → 01:30 UTC.
        #expect(c.toUTC(wallUs: wall(2024, 3, 31, 2, 30)) == wall(2024, 3, 31, 1, 30))
        #expect(c.gapCount == 1)
        #expect(c.toUTC(wallUs: wall(2024, 3, 31, 1, 59)) == wall(2024, 3, 31, 0, 59))
        #expect(c.toUTC(wallUs: wall(2024, 3, 31, 3, 0)) == wall(2024, 3, 31, 1, 0))
    }

    @Test func autumnOverlapUsesTheOrderOfLines() {
        var c = LocalTimeConverter(.named("Europe/Berlin"))
        // 2024-10-27 02:30 happens twice: 00:30 UTC (+02:00) and 01:30 UTC (+01:00).
        let first = c.toUTC(wallUs: wall(2024, 10, 27, 2, 30))
        #expect(first == wall(2024, 10, 27, 0, 30))
        let afterFirst = c.toUTC(wallUs: wall(2024, 10, 27, 2, 59), hintUTC: first)
        #expect(afterFirst == wall(2024, 10, 27, 0, 59))
        // Then the clock goes back: 02:10 again, after a line at 00:59 UTC → the second 02:10.
        let second = c.toUTC(wallUs: wall(2024, 10, 27, 2, 10), hintUTC: wall(2024, 10, 27, 1, 5) )
        #expect(second == wall(2024, 10, 27, 1, 10))
        #expect(c.ambiguousCount == 3)
    }

    @Test func fixedOffset() {
        var c = LocalTimeConverter(.fixed(-18000))
        #expect(c.toUTC(wallUs: wall(2024, 1, 15, 5, 0)) == wall(2024, 1, 15, 10, 0))
    }

    @Test func yearTrackerRollsOverAtNewYear() {
        var y = YearTracker(explicitYear: nil, referenceYear: 2025, referenceMonth: 1)
        #expect(y.year(forMonth: 12) == 2024)
        #expect(y.year(forMonth: 12) == 2024)
        #expect(y.year(forMonth: 1) == 2025)
        var same = YearTracker(explicitYear: nil, referenceYear: 2026, referenceMonth: 11)
        #expect(same.year(forMonth: 11) == 2026)
        var explicit = YearTracker(explicitYear: 2019, referenceYear: 2026, referenceMonth: 1)
        #expect(explicit.year(forMonth: 12) == 2019)
        #expect(explicit.year(forMonth: 1) == 2020)
    }
}
