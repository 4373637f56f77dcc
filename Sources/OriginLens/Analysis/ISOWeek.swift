import Foundation

/// An ISO 8601 week (`2026-W47`): Monday 00:00 UTC to the next Monday 00:00 UTC. Week 1 is the
/// week that holds the year's first Thursday, so it may start in late December (2026-W01 starts
/// on 2025-12-29) and a year has 52 or 53 weeks.
public struct ISOWeek: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var week: Int

    /// Nil when `week` is not in the year (`2027-W53`).
    public init?(year: Int, week: Int) {
        guard (1...9998).contains(year), week >= 1, week <= ISOWeek.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// The week holding a day (days since 1970-01-01).
    public init(day: Int) {
        let thursday = day - (ISOWeek.weekday(day) - 1) + 3
        let y = CivilTime.civilFromDays(thursday).year
        year = y
        week = (thursday - CivilTime.daysFromCivil(year: y, month: 1, day: 1)) / 7 + 1
    }

    /// The week holding an instant (UTC microseconds).
    public init(us: Int64) {
        self.init(day: Int(ISOWeek.floorDiv(us, 86_400_000_000)))
    }

    /// Parses `2026-W47` (also `2026W47`, lower-case `w`, and `2026-W7`).
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let parts = t.split(separator: "W", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var ys = parts[0]
        if ys.hasSuffix("-") { ys = ys.dropLast() }
        guard ys.count == 4, parts[1].count >= 1, parts[1].count <= 2,
              ys.allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII),
              let y = Int(ys), let w = Int(parts[1]) else { return nil }
        self.init(year: y, week: w)
    }

    /// ISO weekday of a day number: Monday 1 … Sunday 7 (1970-01-01 was a Thursday).
    public static func weekday(_ day: Int) -> Int {
        let r = (day + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// Day number of the Monday of week 1 of `year`.
    public static func firstMonday(of year: Int) -> Int {
        let jan4 = CivilTime.daysFromCivil(year: year, month: 1, day: 4)
        return jan4 - (weekday(jan4) - 1)
    }

    /// 52 or 53: a year has 53 weeks when it starts on a Thursday, or on a Wednesday in a leap year.
    public static func weeks(in year: Int) -> Int {
        let jan1 = weekday(CivilTime.daysFromCivil(year: year, month: 1, day: 1))
        return jan1 == 4 || (jan1 == 3 && CivilTime.isLeap(year)) ? 53 : 52
    }

    /// Day number of this week's Monday.
    public var mondayDay: Int { ISOWeek.firstMonday(of: year) + (week - 1) * 7 }
    /// Monday 00:00 UTC, microseconds.
    public var startUs: Int64 { Int64(mondayDay) * 86_400_000_000 }
    /// The next Monday 00:00 UTC, microseconds (exclusive end).
    public var endUs: Int64 { startUs + 7 * 86_400_000_000 }

    public var next: ISOWeek { ISOWeek(day: mondayDay + 7) }
    public var previous: ISOWeek { ISOWeek(day: mondayDay - 7) }

    /// `2026-W47`.
    public var description: String { "\(CivilTime.pad(year, 4))-W\(CivilTime.pad(week, 2))" }

    /// The last complete week before the instant `nowUs`: the week before the one holding it.
    public static func lastComplete(beforeUs nowUs: Int64) -> ISOWeek {
        ISOWeek(us: nowUs).previous
    }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
}
