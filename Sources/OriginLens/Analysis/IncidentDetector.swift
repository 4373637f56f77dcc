/// Thresholds for finding incidents (`--min-errors`, `--min-rate`, `--merge-gap`).
public struct DetectionOptions: Codable, Sendable, Equatable {
    /// A minute qualifies with at least this many 521s …
    public var minErrors: Int = 5
    /// … that are at least this share of its requests (0…1).
    public var minRate: Double = 0.01
    /// Windows closer than this (seconds) merge.
    public var mergeGapSeconds: Int = 300
    /// Origin events considered before a window's start (seconds).
    public var lookbackSeconds: Int = 900
    /// … and after its end.
    public var afterSeconds: Int = 300
    public init() {}
}

/// A window of elevated 521s found in the traffic.
public struct IncidentWindow: Sendable, Equatable {
    /// First and last 521 of the window, UTC microseconds.
    public var startUs: Int64
    public var endUs: Int64
    /// First and last minute (minutes since the epoch) of the window.
    public var firstMinute: Int64
    public var lastMinute: Int64
    public var requests: Int64 = 0
    public var errors521: Int64 = 0
    public var other52x: Int64 = 0
    public var other5xx: Int64 = 0
    public var originAnswered: Int64 = 0
    public var peakPerMinute: Int64 = 0
    /// UTC microseconds of the start of the peak minute.
    public var peakMinuteUs: Int64 = 0
    /// Request IDs (Ray IDs) of the first and last 521, when the edge logs have them.
    public var firstID: String? = nil
    public var lastID: String? = nil

    public var durationSeconds: Int { Int(max(0, endUs - startUs) / 1_000_000) }
    public var errorRate: Double { requests > 0 ? Double(errors521) / Double(requests) : 0 }
}

/// Finds incident windows in per-minute 521 counts.
public enum IncidentDetector {
    public static func detect(_ traffic: TrafficAggregate, options: DetectionOptions,
                              sinceUs: Int64? = nil, untilUs: Int64? = nil) -> [IncidentWindow] {
        let minutes = traffic.minutes
        let keys = minutes.keys.sorted()
        let lo = sinceUs.map { $0 / 60_000_000 } ?? Int64.min
        let hi = untilUs.map { ($0 - 1) / 60_000_000 } ?? Int64.max
        func qualifies(_ m: Int64) -> Bool {
            guard let d = minutes[m], m >= lo, m <= hi, d.total > 0 else { return false }
            return Int(d.e521) >= options.minErrors && Double(d.e521) / Double(d.total) >= options.minRate
        }
        var groups: [(Int64, Int64)] = []
        let gapMinutes = Int64(max(0, options.mergeGapSeconds)) / 60
        for m in keys where qualifies(m) {
            if let last = groups.last, m - last.1 <= max(1, gapMinutes) {
                groups[groups.count - 1].1 = m
            } else {
                groups.append((m, m))
            }
        }
        var out: [IncidentWindow] = []
        for (a0, b0) in groups {
            var a = a0, b = b0
            // Ramp-up and ramp-down: adjacent minutes that still had 521s belong to the window.
            while let d = minutes[a - 1], d.e521 > 0, a - 1 >= lo { a -= 1 }
            while let d = minutes[b + 1], d.e521 > 0, b + 1 <= hi { b += 1 }
            var w = IncidentWindow(startUs: Int64.max, endUs: Int64.min, firstMinute: a, lastMinute: b)
            for m in a...b {
                guard let d = minutes[m] else { continue }
                w.requests += Int64(d.total)
                w.errors521 += Int64(d.e521)
                w.other52x += Int64(d.other52x)
                w.other5xx += Int64(d.other5xx)
                w.originAnswered += Int64(d.originAnswered)
                if d.e521 > 0 {
                    if d.first521Us < w.startUs { w.startUs = d.first521Us; w.firstID = d.first521ID.string }
                    if d.last521Us > w.endUs { w.endUs = d.last521Us; w.lastID = d.last521ID.string }
                }
                if Int64(d.e521) > w.peakPerMinute { w.peakPerMinute = Int64(d.e521); w.peakMinuteUs = m * 60_000_000 }
            }
            out.append(w)
        }
        return out
    }
}
