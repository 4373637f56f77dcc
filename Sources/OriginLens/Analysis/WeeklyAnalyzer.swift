/// Edge traffic of one UTC day (or the part of it inside the period).
public struct DayStats: Sendable, Equatable {
    /// Days since 1970-01-01.
    public var day: Int
    /// The part of the day inside the period, UTC microseconds `[startUs, endUs)`.
    public var startUs: Int64
    public var endUs: Int64
    public var requests: Int64 = 0
    public var errors521: Int64 = 0
    /// 520, 522–530.
    public var other52x: Int64 = 0
    /// Other 5xx.
    public var other5xx: Int64 = 0
    /// Minutes with at least one 52x response (521 included).
    public var minutes52x = 0
    /// Minutes and hours (of the part of the day inside the period) with at least one edge record.
    public var minutesWithData = 0
    public var hoursWithData = 0
    public var hoursInPeriod = 0

    public var errors5xx: Int64 { errors521 + other52x + other5xx }
    /// True when the edge logs hold at least one record for the day. A day without is "no data",
    /// never "no errors".
    public var hasData: Bool { hoursWithData > 0 }
    /// Share of edge responses that are not 5xx; nil without data.
    public var availability: Double? {
        hasData && requests > 0 ? 1 - Double(errors5xx) / Double(requests) : nil
    }
    /// `YYYY-MM-DD`.
    public var date: String { String(CivilTime.rfc3339(Int64(day) * 86_400_000_000).prefix(10)) }
}

/// A run of hours inside the period without any edge record.
public struct CoverageGap: Sendable, Equatable {
    public var startUs: Int64
    public var endUs: Int64
    public var hours: Int { Int((endUs - startUs + 3_599_999_999) / 3_600_000_000) }
}

/// The roll-up of a period's edge traffic: per day, totals, coverage, most affected hosts and colos.
public struct WeekStats: Sendable, Equatable {
    public var startUs: Int64
    public var endUs: Int64
    public var days: [DayStats]
    public var gaps: [CoverageGap]
    /// 521s per host and colo over the whole period (top N; `…Other` sums the rest).
    public var hosts: [BreakdownEntry]
    public var hostOther: Int64
    public var colos: [BreakdownEntry]
    public var coloOther: Int64
    /// Minutes in which more distinct hosts had 521s than a minute keeps (the rest of them are
    /// in `hostOther`).
    public var minutesHostsCapped = 0

    public var requests: Int64 { days.reduce(0) { $0 + $1.requests } }
    public var errors521: Int64 { days.reduce(0) { $0 + $1.errors521 } }
    public var other52x: Int64 { days.reduce(0) { $0 + $1.other52x } }
    public var other5xx: Int64 { days.reduce(0) { $0 + $1.other5xx } }
    public var errors5xx: Int64 { days.reduce(0) { $0 + $1.errors5xx } }
    public var minutes52x: Int { days.reduce(0) { $0 + $1.minutes52x } }
    public var hoursWithData: Int { days.reduce(0) { $0 + $1.hoursWithData } }
    public var hoursInPeriod: Int { days.reduce(0) { $0 + $1.hoursInPeriod } }
    public var hasData: Bool { hoursWithData > 0 }
    /// Share of the period's edge responses that are not 5xx; nil without data.
    public var availability: Double? {
        hasData && requests > 0 ? 1 - Double(errors5xx) / Double(requests) : nil
    }
}

/// Rolls a period of `TrafficAggregate` up into days for the weekly report.
public enum WeeklyAnalyzer {
    static let dayUs: Int64 = 86_400_000_000
    static let hourUs: Int64 = 3_600_000_000

    /// The roll-up of `[startUs, endUs)`.
    public static func stats(_ traffic: TrafficAggregate, startUs: Int64, endUs: Int64, topN: Int = 10) -> WeekStats {
        var days: [DayStats] = []
        var gaps: [CoverageGap] = []
        var d = ISOWeek.floorDiv(startUs, dayUs)
        while d * dayUs < endUs {
            let from = max(startUs, d * dayUs), to = min(endUs, (d + 1) * dayUs)
            var st = DayStats(day: Int(d), startUs: from, endUs: to)
            // Hours: the minutes that overlap the hour clipped to the period. (The records of a
            // period were read with the same bounds, so a minute cut by an unaligned bound holds
            // only records inside it.)
            var h = ISOWeek.floorDiv(from, hourUs)
            while h * hourUs < to {
                let hFrom = max(from, h * hourUs), hTo = min(to, (h + 1) * hourUs)
                st.hoursInPeriod += 1
                var seen = false
                let m0 = ISOWeek.floorDiv(hFrom, 60_000_000), m1 = ISOWeek.floorDiv(hTo - 1, 60_000_000)
                var mi = m0
                while mi <= m1 {
                    if let c = traffic.minutes.counts(mi), c.total != 0 {
                        seen = true
                        st.requests += Int64(c.total)
                        st.errors521 += Int64(c.e521)
                        st.other52x += Int64(c.other52x)
                        st.other5xx += Int64(c.other5xx)
                    }
                    mi += 1
                }
                if seen {
                    st.hoursWithData += 1
                } else if let last = gaps.last, last.endUs == hFrom {
                    gaps[gaps.count - 1].endUs = hTo
                } else {
                    gaps.append(CoverageGap(startUs: hFrom, endUs: hTo))
                }
                h += 1
            }
            // Minutes: 52x minutes and minutes with data.
            var m = ISOWeek.floorDiv(from, 60_000_000)
            while m * 60_000_000 < to {
                if let md = traffic.minutes.counts(m), md.total > 0 {
                    st.minutesWithData += 1
                    if md.e521 > 0 || md.other52x > 0 { st.minutes52x += 1 }
                }
                m += 1
            }
            days.append(st)
            d += 1
        }
        // Hosts and colos of the 521s over the period.
        var hosts: [Int32: Int64] = [:], colos: [Int32: Int64] = [:]
        var hostOther: Int64 = 0, coloOther: Int64 = 0
        var minutesHostsCapped = 0
        let m0 = ISOWeek.floorDiv(startUs, 60_000_000), m1 = ISOWeek.floorDiv(endUs - 1, 60_000_000)
        for (m, md) in traffic.minutes where m >= m0 && m <= m1 && md.e521 > 0 {
            for e in md.hosts.entries where e.a > 0 { hosts[e.id, default: 0] += Int64(e.a) }
            hostOther += Int64(md.hosts.otherA)
            if md.hosts.otherA > 0, md.hosts.entries.count >= md.hosts.limit { minutesHostsCapped += 1 }
            for e in md.colos.entries where e.a > 0 { colos[e.id, default: 0] += Int64(e.a) }
            coloOther += Int64(md.colos.otherA)
        }
        func top(_ dict: [Int32: Int64], other: inout Int64, name: (Int32) -> String) -> [BreakdownEntry] {
            let sorted = dict.map { BreakdownEntry(key: name($0.key), errors521: $0.value, other: 0) }
                .sorted { ($0.errors521, $1.key) > ($1.errors521, $0.key) }
            for e in sorted.dropFirst(topN) { other += e.errors521 }
            return Array(sorted.prefix(topN))
        }
        let topHosts = top(hosts, other: &hostOther, name: traffic.hostName)
        let topColos = top(colos, other: &coloOther, name: traffic.coloName)
        return WeekStats(startUs: startUs, endUs: endUs, days: days, gaps: gaps, hosts: topHosts, hostOther: hostOther,
                         colos: topColos, coloOther: coloOther, minutesHostsCapped: minutesHostsCapped)
    }
}
