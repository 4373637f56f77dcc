import Testing
@testable import OriginLens

private func day(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilTime.daysFromCivil(year: y, month: m, day: d) }
private func us(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0) -> Int64 {
    CivilTime.seconds(year: y, month: m, day: d, hour: h, minute: 0, second: 0)! * 1_000_000
}

@Suite struct ISOWeekTests {
    @Test func week1StartsInTheOldYear() throws {
        let w = try #require(ISOWeek(parsing: "2026-W01"))
        #expect(w.startUs == us(2025, 12, 29))
        #expect(w.endUs == us(2026, 1, 5))
        #expect(CivilTime.rfc3339(w.startUs) == "2025-12-29T00:00:00Z")
        // 2025-12-31 (Wednesday) and 2026-01-04 (Sunday) are in 2026-W01.
        #expect(ISOWeek(day: day(2025, 12, 31)).description == "2026-W01")
        #expect(ISOWeek(day: day(2026, 1, 4)).description == "2026-W01")
        #expect(ISOWeek(day: day(2025, 12, 28)).description == "2025-W52")
        // 2024-12-30 (Monday) begins 2025-W01.
        #expect(ISOWeek(day: day(2024, 12, 30)).description == "2025-W01")
    }

    @Test func week53() throws {
        // 2020 began on a Wednesday and is a leap year: 53 weeks.
        #expect(ISOWeek.weeks(in: 2020) == 53)
        let w = try #require(ISOWeek(parsing: "2020-W53"))
        #expect(w.startUs == us(2020, 12, 28))
        #expect(w.endUs == us(2021, 1, 4))
        #expect(ISOWeek(day: day(2021, 1, 3)) == w)
        #expect(w.next.description == "2021-W01")
        // 2026 begins on a Thursday: 53 weeks, the last from 2026-12-28 to 2027-01-03.
        #expect(ISOWeek.weeks(in: 2026) == 53)
        let w53 = try #require(ISOWeek(year: 2026, week: 53))
        #expect(w53.startUs == us(2026, 12, 28))
        #expect(ISOWeek(day: day(2027, 1, 3)) == w53)
        #expect(ISOWeek(day: day(2027, 1, 4)).description == "2027-W01")
        #expect(w53.previous.description == "2026-W52")
        // 2027 begins on a Friday: 52 weeks.
        #expect(ISOWeek.weeks(in: 2027) == 52)
        #expect(ISOWeek(parsing: "2027-W53") == nil)
        let w52 = try #require(ISOWeek(parsing: "2027-W52"))
        #expect(w52.startUs == us(2027, 12, 27))
        #expect(w52.next.description == "2028-W01")
        #expect(ISOWeek.weeks(in: 2015) == 53)
        #expect(ISOWeek.weeks(in: 2024) == 52)
    }

    @Test func parsing() throws {
        #expect(ISOWeek(parsing: "2026-W47")?.startUs == us(2026, 11, 16))
        #expect(ISOWeek(parsing: "2026w47")?.description == "2026-W47")
        #expect(ISOWeek(parsing: "2026-W7")?.description == "2026-W07")
        for bad in ["2026-W00", "2026-W54", "2026-W", "W47", "2026-47", "26-W47", "2026-W4x", "", "２０２６-W47"] {
            #expect(ISOWeek(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func lastCompleteWeek() {
        // Wednesday of 2026-W48 → 2026-W47.
        #expect(ISOWeek.lastComplete(beforeUs: us(2026, 11, 25, 9)).description == "2026-W47")
        // Monday 00:00 exactly: the week that just ended.
        #expect(ISOWeek.lastComplete(beforeUs: us(2026, 11, 23)).description == "2026-W47")
        #expect(ISOWeek.lastComplete(beforeUs: us(2026, 11, 23) - 1).description == "2026-W46")
        // Across the new year.
        #expect(ISOWeek.lastComplete(beforeUs: us(2026, 1, 1, 12)).description == "2025-W52")
        #expect(ISOWeek.lastComplete(beforeUs: us(2021, 1, 5)).description == "2020-W53")
    }

    @Test func everyDayFallsInItsWeek() {
        var d = day(1999, 12, 1)
        while d < day(2041, 1, 31) {
            let w = ISOWeek(day: d)
            #expect(ISOWeek.weekday(w.mondayDay) == 1)
            #expect(w.mondayDay <= d && d < w.mondayDay + 7)
            #expect(ISOWeek(year: w.year, week: w.week) == w)
            if d % 97 == 0 { #expect(ISOWeek(parsing: w.description) == w) }
            d += 1
        }
    }
}
