import Foundation

/// The zone in which a log's zoneless wall-clock times are read (`--tz`).
public enum TimeZoneSpec: Sendable, Equatable, CustomStringConvertible {
    case utc
    /// A fixed offset east of UTC, in seconds.
    case fixed(Int)
    /// An IANA zone such as `Europe/Berlin` (DST-aware).
    case named(String)

    /// Parses `UTC`, `Z`, `±HH:MM`, `±HHMM`, `±HH` or an IANA name. Nil when unknown.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if t.uppercased() == "UTC" || t == "Z" || t.uppercased() == "GMT" || t == "Etc/UTC" { self = .utc; return }
        if let c = t.first, c == "+" || c == "-" {
            let sign = c == "-" ? -1 : 1
            let rest = t.dropFirst().replacingOccurrences(of: ":", with: "")
            guard rest.allSatisfy(\.isNumber), rest.count == 2 || rest.count == 4,
                  let hh = Int(rest.prefix(2)), let mm = Int(rest.dropFirst(2).isEmpty ? "0" : String(rest.dropFirst(2))),
                  hh <= 14, mm < 60 else { return nil }
            let off = sign * (hh * 3600 + mm * 60)
            self = off == 0 ? .utc : .fixed(off)
            return
        }
        guard TimeZone(identifier: t) != nil else { return nil }
        self = .named(t)
    }

    public var description: String {
        switch self {
        case .utc: return "UTC"
        case .fixed(let s):
            let sign = s < 0 ? "-" : "+"
            let a = abs(s)
            return String(format: "%@%02d:%02d", sign, a / 3600, a % 3600 / 60)
        case .named(let n): return n
        }
    }

    /// Offset from UTC in seconds at a UTC instant.
    public func offset(atUTC seconds: Int64) -> Int {
        switch self {
        case .utc: return 0
        case .fixed(let s): return s
        case .named(let n):
            return TimeZone(identifier: n)?.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))) ?? 0
        }
    }
}

/// Turns local wall-clock times (seconds since the epoch *as if* the wall clock were UTC) into
/// UTC, DST-aware, with a cache so that the per-line cost is a comparison.
///
/// DST rules: a wall time inside a spring-forward gap does not exist; it is read with the
/// offset in force before the gap (02:30 becomes 01:30 UTC+1 = 03:30 UTC+2 wall time) and
/// counted in `gapCount`. A wall time inside an autumn overlap exists twice; the earlier
/// instant is taken unless that would move time backwards by more than the overlap relative to
/// the previous line of the same file (`hintUTC`), in which case the later one is; counted in
/// `ambiguousCount`.
public struct LocalTimeConverter {
    public let spec: TimeZoneSpec
    private let zone: TimeZone?
    private var cacheKey: Int64 = Int64.min
    private var cacheOffset: Int = 0
    /// Counts shared by every copy of this converter (parsers keep their own copy of the
    /// context; the scanner reads the counts from the same object).
    public let counters = DSTCounters()
    /// Wall times that fell into a DST gap.
    public var gapCount: Int { counters.gaps }
    /// Wall times that fell into a DST overlap.
    public var ambiguousCount: Int { counters.ambiguous }

    public init(_ spec: TimeZoneSpec) {
        self.spec = spec
        if case .named(let n) = spec { zone = TimeZone(identifier: n) } else { zone = nil }
    }

    private func offsetAt(_ utc: Int64) -> Int {
        zone?.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc))) ?? 0
    }

    /// UTC microseconds for a local wall time given in microseconds-as-if-UTC.
    /// `hintUTC` is the previous record's UTC time in the same file (or `Int64.min`).
    public mutating func toUTC(wallUs: Int64, hintUTC: Int64 = Int64.min) -> Int64 {
        switch spec {
        case .utc: return wallUs
        case .fixed(let s): return wallUs - Int64(s) * 1_000_000
        case .named: break
        }
        var wall = wallUs / 1_000_000
        var frac = wallUs % 1_000_000
        if frac < 0 { frac += 1_000_000; wall -= 1 }
        // Transitions happen on quarter hours at the finest: cache per 15-minute wall bucket.
        let key = wall >= 0 ? wall / 900 : (wall - 899) / 900
        if key == cacheKey {
            return (wall - Int64(cacheOffset)) * 1_000_000 + frac
        }
        let offsets = resolve(wall: wall)
        var chosen: Int
        if offsets.count == 0 {
            // Gap (spring forward from a smaller to a larger offset): read with the smaller one.
            counters.gaps += 1
            chosen = min(offsetAt(wall - 6 * 3600), offsetAt(wall + 6 * 3600))
        } else if offsets.count == 1 {
            chosen = offsets[0]
            // Cache only when the whole bucket maps with one offset.
            let b0 = key * 900, b1 = key * 900 + 899
            let r0 = resolve(wall: b0), r1 = resolve(wall: b1)
            if r0 == [chosen] && r1 == [chosen] {
                cacheKey = key
                cacheOffset = chosen
            }
        } else {
            counters.ambiguous += 1
            // offsets sorted descending: larger offset = earlier instant.
            let early = (wall - Int64(offsets[0])) * 1_000_000 + frac
            let late = (wall - Int64(offsets[offsets.count - 1])) * 1_000_000 + frac
            if hintUTC != Int64.min, early < hintUTC - 60_000_000, late >= hintUTC - 60_000_000 {
                return late
            }
            return early
        }
        return (wall - Int64(chosen)) * 1_000_000 + frac
    }

    /// All offsets `o` such that wall - o is an instant whose offset is `o` (0, 1 or 2 of them),
    /// sorted descending.
    private func resolve(wall: Int64) -> [Int] {
        var found: [Int] = []
        // Candidate offsets: those in force a day around the wall time.
        var candidates = Set<Int>()
        for delta: Int64 in [-86400, -3 * 3600, 0, 3 * 3600, 86400] { candidates.insert(offsetAt(wall + delta)) }
        for o in candidates where offsetAt(wall - Int64(o)) == o { found.append(o) }
        return found.sorted(by: >)
    }
}

/// Infers the missing year of RFC 3164 / journalctl short timestamps.
///
/// Anchored on a reference date (the `--year` override, the date in a rotation suffix, or the
/// file's modification time): the first line takes the reference year, or the year before
/// when its month lies after the reference month (a December line in a file closed in
/// January). Walking forward, a month that falls by more than six (December → January) moves
/// to the next year.
public struct YearTracker: Sendable {
    public var year: Int
    private var lastMonth: Int = 0
    private let referenceMonth: Int
    private let explicit: Bool

    /// `explicitYear`: the user's `--year` (the year of the first line).
    /// `referenceYear`/`referenceMonth`: when the file ends (rotation date or mtime).
    public init(explicitYear: Int?, referenceYear: Int, referenceMonth: Int) {
        if let y = explicitYear {
            self.year = y; self.referenceMonth = 12; self.explicit = true
        } else {
            self.year = referenceYear; self.referenceMonth = referenceMonth; self.explicit = false
        }
    }

    /// The year for a line of month `month` (1–12).
    public mutating func year(forMonth month: Int) -> Int {
        if lastMonth == 0 {
            if !explicit && month > referenceMonth { year -= 1 }
        } else if month < lastMonth - 6 {
            year += 1
        } else if month > lastMonth + 6 {
            // Out-of-order line from the end of the previous year (rare): do not move the tracker.
            return year - 1
        }
        lastMonth = month
        return year
    }
}

/// DST gap/overlap counts of one file.
public final class DSTCounters {
    public var gaps = 0
    public var ambiguous = 0
    public init() {}
}
