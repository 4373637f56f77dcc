/// The report of `originlens analyze`: rendered as Markdown through a template, printed as JSON
/// with `--json`. It is the template context itself; every field is documented in
/// docs/template-context.md. Times are RFC 3339 UTC strings; `*Local` fields are in `--tz`.
public struct PostmortemReport: Codable, Sendable {
    public var schemaVersion = 1
    public var tool = "originlens"
    public var toolVersion: String
    public var title: String
    /// The time zone given with `--tz` (`UTC` by default).
    public var timeZone: String
    /// True when `--tz` is not UTC (local times are shown beside UTC).
    public var hasLocalTime: Bool
    /// First and last edge record analysed.
    public var dataStart: String?
    public var dataEnd: String?
    public var thresholds: Thresholds
    public var totals: Totals
    public var hasIncidents: Bool
    public var incidentCount: Int
    public var incidents: [Incident]
    /// Stray 521s outside any incident.
    public var stray521: Int64
    public var inputs: [InputEntry]
    public var problems: [String]
    public var assumptions: [String]
    /// When true, the report was asked for a single incident (`--incident`).
    public var selectedIncident: String?

    public struct Thresholds: Codable, Sendable {
        public var minErrors: Int
        public var minRate: Double
        public var minRatePercent: String
        public var mergeGapSeconds: Int
        public var lookbackSeconds: Int
        public var afterSeconds: Int
    }

    public struct Totals: Codable, Sendable {
        public var requests: Int64
        public var errors521: Int64
        public var other52x: Int64
        public var other5xx: Int64
        public var errorRate: Double
        public var errorRatePercent: String
        public var edgeRecords: Int
        public var accessRecords: Int
        public var originEvents: Int
        public var linesRead: Int
        public var linesParsed: Int
        public var linesSkipped: Int
    }

    public struct Incident: Codable, Sendable {
        public var id: String
        public var start: String
        public var end: String
        public var startLocal: String?
        public var endLocal: String?
        /// `2026-11-24`
        public var date: String
        public var durationSeconds: Int
        public var durationText: String
        public var requests: Int64
        public var errors521: Int64
        public var other52x: Int64
        public var errorRate: Double
        public var errorRatePercent: String
        public var peakPerMinute: Int64
        public var peakMinute: String
        public var scope: Scope
        public var hosts: [Count]
        public var colos: [Count]
        public var paths: [Count]
        public var cause: Cause
        public var alternatives: [Cause]
        public var hasAlternatives: Bool
        public var evidence: [Evidence]
        public var evidenceNotShown: Int
        public var timeline: [TimelineRow]
        /// Origin events around the window left out of the timeline (over its cap).
        public var timelineNotShown: Int
        public var recovery: Recovery
        public var actionItems: [String]
        /// For `unknown`: what to check by hand.
        public var checks: [String]
        public var isUnknown: Bool
        /// A Mermaid `xychart-beta` chart of 521s per minute around the window (the block's body).
        public var chart: String
        public var summary: String
    }

    public struct Scope: Codable, Sendable {
        /// `full` or `partial`.
        public var extent: String
        public var originFailurePercent: String
        public var cloudflareAlertCondition: Bool
        /// `all` or `subset`.
        public var colos: String
        public var failingColos: [String]
        public var healthyColos: [String]
        /// `all 8 colos`, or `subset: failing FRA, AMS; still reaching the origin: LHR, CDG`.
        public var colosText: String
        /// `all` or `https-only`.
        public var schemes: String
        public var originIPs: [String]
        public var newOriginIPs: [String]
        /// `203.0.113.10`, `203.0.113.10, 198.51.100.9 (new)`, or `not in the logs`.
        public var originIPsText: String
        public var accessLogDuringWindow: Int64
        public var accessLogFromCDN: Int64
    }

    public struct Count: Codable, Sendable {
        public var key: String
        public var count: Int64
        public var share: String
    }

    public struct Cause: Codable, Sendable {
        public var category: String
        public var mechanism: String
        public var service: String?
        public var confidence: Double
        public var confidencePercent: String
        /// `high` (≥ 0.75), `medium` (≥ 0.5), `low`.
        public var confidenceLabel: String
        public var summary: String
        public var reasons: [String]
        public var confidenceReason: String
    }

    public struct Evidence: Codable, Sendable {
        public var time: String
        public var source: String
        public var line: Int
        /// `source:line`
        public var location: String
        public var kind: String
        public var service: String?
        public var rule: String
        public var text: String
        /// `text` inside a fenced code block whose fence is longer than any backtick run in it
        /// (use with triple braces).
        public var block: String
    }

    public struct TimelineRow: Codable, Sendable {
        public var time: String
        /// `HH:MM:SS` UTC.
        public var clock: String
        public var localClock: String?
        public var what: String
        /// `file:line`, or `edge` for transitions computed from the edge logs.
        public var evidence: String
    }

    public struct Recovery: Codable, Sendable {
        public var end: String
        public var timeToRecoverSeconds: Int
        public var timeToRecoverText: String
        /// What ended it, when the logs show it.
        public var event: String?
        public var eventTime: String?
        /// First origin event in the lookback, and how long before the first 521 it came.
        public var firstOriginEvent: String?
        public var firstOriginEventTime: String?
        public var detectionLeadSeconds: Int?
        public var detectionText: String
    }

    public struct InputEntry: Codable, Sendable {
        public var path: String
        public var format: String
        public var gzip: Bool
        public var lines: Int
        public var parsed: Int
        public var skipped: Int
        public var skippedByReason: String
        public var first: String?
        public var last: String?
        public var warnings: [String]
    }
}
