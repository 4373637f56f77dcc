/// The report of `originlens weekly`: rendered as Markdown through `weekly.md.mustache`, printed
/// as JSON with `--json`. It is the template context itself; every field is documented in
/// docs/template-context.md ("Weekly report"). Times are RFC 3339 UTC strings; percentages are
/// given as numbers (shares 0…1) and as `…Percent` texts for templates.
public struct WeeklyReport: Codable, Sendable {
    public var schemaVersion = 1
    public var tool = "originlens"
    public var toolVersion: String
    public var title: String
    /// `2026-W47`, or nil for a `--since`/`--until` period.
    public var week: String?
    /// The period: `[periodStart, periodEnd)`, and its first and last day (`YYYY-MM-DD`).
    public var periodStart: String
    public var periodEnd: String
    public var firstDay: String
    public var lastDay: String
    /// The history key (`--site`).
    public var site: String
    /// The SLO in percent (99.9) and as text (`99.9 %`).
    public var slo: Double
    public var sloPercent: String
    public var headline: Headline
    public var days: [Day]
    public var budget: Budget
    public var hasIncidents: Bool
    public var incidentCount: Int
    public var incidents: [Incident]
    public var mttr: MTTR
    public var causes: [CauseGroup]
    /// `OL-…: second firewall block in four weeks`.
    public var recurrences: [String]
    public var topHosts: [PostmortemReport.Count]
    public var topColos: [PostmortemReport.Count]
    /// The 8 weeks up to this one, oldest first (the last row is this period).
    public var trends: [TrendWeek]
    /// True when the history holds at least one earlier week.
    public var hasTrends: Bool
    /// Bodies of Mermaid `xychart-beta` blocks (insert with triple braces).
    public var availabilityChart: String
    public var errorsChart: String
    public var dataQuality: DataQuality
    public var history: HistoryStatus
    public var assumptions: [String]

    public struct Headline: Codable, Sendable {
        public var hasData: Bool
        public var availability: Double?
        /// `99.95 %`, or `no data`.
        public var availabilityPercent: String
        public var requests: Int64
        public var errors5xx: Int64
        public var errors521: Int64
        public var other52x: Int64
        public var other5xx: Int64
        /// Minutes with at least one 52x response.
        public var minutes52x: Int
        /// `met`, `missed`, or `no data`.
        public var sloStatus: String
        public var sloMet: Bool?
        /// Last week's availability from the history, when known.
        public var previousAvailability: Double?
        public var previousAvailabilityPercent: String?
        /// `↑`, `↓`, `→`, or empty when last week is not known.
        public var arrow: String
        /// `up from 99.80 % last week`, `same as last week`, `no history for last week`.
        public var comparison: String
    }

    public struct Day: Codable, Sendable {
        /// `2026-11-16`
        public var date: String
        /// `Mon`
        public var weekday: String
        public var hasData: Bool
        /// Some hours of the day (inside the period) have no edge records.
        public var partial: Bool
        public var hoursWithData: Int
        public var hoursInPeriod: Int
        public var requests: Int64
        public var errors5xx: Int64
        public var errors521: Int64
        public var other52x: Int64
        public var minutes52x: Int
        public var availability: Double?
        /// `99.95 %`, or `no data`.
        public var availabilityPercent: String
        /// `24/24 h`, `no data`.
        public var coverage: String
    }

    public struct Budget: Codable, Sendable {
        /// 1 − SLO: the share of requests allowed to fail.
        public var allowedErrorRate: Double
        /// 5xx responses this period, and how many the SLO allows for its requests.
        public var badRequests: Int64
        public var allowedBadRequests: Int64
        /// Error rate ÷ allowed rate: 1 consumes the budget exactly as fast as it accrues.
        public var burnRate: Double?
        public var burnRateText: String
        /// Share of the rolling 28-day budget that this period consumed.
        public var consumed: Double?
        public var consumedPercent: String
        /// True when the 28-day requests come from the history; false when estimated from this period.
        public var rollingFromHistory: Bool
        /// Days of the 28-day window with data (history + this period).
        public var rollingDays: Int
        public var rollingRequests: Int64
        public var rollingBadRequests: Int64
        /// Budget left over the 28 days ending with this period (negative when overspent); only
        /// with history.
        public var remaining: Double?
        public var remainingPercent: String?
        public var exhausted: Bool
    }

    public struct Incident: Codable, Sendable {
        public var id: String
        public var start: String
        public var end: String
        public var date: String
        /// `Mon 10:23` UTC.
        public var startText: String
        public var durationSeconds: Int
        public var durationText: String
        public var errors521: Int64
        public var errorRatePercent: String
        public var category: String
        public var mechanism: String
        public var service: String?
        public var confidence: Double
        public var confidencePercent: String
        public var confidenceLabel: String
        public var isUnknown: Bool
        public var summary: String
        /// `second firewall block in four weeks`, when it recurred.
        public var recurrence: String?
        /// The incident's postmortem (`--postmortems DIR`), relative to the report.
        public var postmortemPath: String?
        /// A Markdown link `[id](path)` to it (insert with triple braces).
        public var postmortemLink: String?
    }

    public struct MTTR: Codable, Sendable {
        public var meanSeconds: Int?
        public var meanText: String
        public var longestSeconds: Int?
        public var longestText: String
        public var longestIncident: String?
        /// The sum of the incidents' durations.
        public var totalSeconds: Int
        public var totalText: String
    }

    public struct CauseGroup: Codable, Sendable {
        public var category: String
        public var mechanism: String
        public var count: Int
        public var durationSeconds: Int
        public var durationText: String
        public var errors521: Int64
        public var incidents: [String]
    }

    public struct TrendWeek: Codable, Sendable {
        /// `2026-W46`
        public var week: String
        public var start: String
        public var isCurrent: Bool
        public var hasData: Bool
        public var availability: Double?
        public var availabilityPercent: String
        public var incidents: Int?
        /// Mean time to recover (`4m 10s`, `-` without incidents, `no data`).
        public var mttrSeconds: Int?
        public var mttrText: String
        /// Days of the week with data.
        public var daysWithData: Int
    }

    public struct DataQuality: Codable, Sendable {
        public var filesRead: Int
        public var filesUnreadable: Int
        public var linesRead: Int
        public var linesParsed: Int
        public var linesSkipped: Int
        /// Records read but not counted because they lie outside the period (origin records:
        /// more than an hour outside).
        public var recordsOutsidePeriod: Int
        public var formats: [FormatLine]
        public var hoursWithData: Int
        public var hoursInPeriod: Int
        public var coveragePercent: String
        public var hasGaps: Bool
        /// Runs of hours without edge records (the first 30), and how many more there are.
        public var gaps: [Gap]
        public var gapsNotShown: Int
        public var problems: [String]
    }

    public struct FormatLine: Codable, Sendable {
        public var format: String
        public var files: Int
        public var lines: Int
        public var parsed: Int
        public var skipped: Int
        /// `malformed 2, blank 1`, or `-`.
        public var skippedByReason: String
    }

    public struct Gap: Codable, Sendable {
        public var start: String
        public var end: String
        public var hours: Int
        /// `Tue 2026-11-17 00:00 – Wed 2026-11-18 06:00 UTC (30 h)`
        public var text: String
    }

    public struct HistoryStatus: Codable, Sendable {
        /// `recorded` (read and written), `disabled` (`--no-history`), `unavailable` (see `message`).
        public var status: String
        public var path: String?
        public var message: String?
        /// Earlier weeks the history had data for (of the 7 shown in trends).
        public var weeksWithData: Int
    }
}
