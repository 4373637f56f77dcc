/// Per-file settings every parser may need.
public struct ParseContext {
    /// Zone for zoneless local timestamps (`--tz`).
    public var zone: LocalTimeConverter
    /// Year inference for formats without a year (RFC 3164 syslog, journalctl short).
    public var years: YearTracker
    /// The file being parsed (for messages).
    public var path: String

    public init(zone: TimeZoneSpec = .utc, years: YearTracker? = nil, path: String = "") {
        self.zone = LocalTimeConverter(zone)
        let now = CivilTime.civilFromDays(Int(Int64(Date().timeIntervalSince1970) / 86400))
        self.years = years ?? YearTracker(explicitYear: nil, referenceYear: now.year, referenceMonth: now.month)
        self.path = path
    }

    /// Converts a zoneless local wall time (microseconds as if UTC) to UTC microseconds.
    /// `hint`: the previous record's UTC time in this file, for DST overlaps.
    @inlinable
    public mutating func localToUTC(_ wallUs: Int64, hint: Int64 = Int64.min) -> Int64 {
        zone.toUTC(wallUs: wallUs, hintUTC: hint)
    }
}

import Foundation

/// One parser per format: raw bytes of one line (or one journal-export entry) in, a record or a
/// skip reason out. Parsers are created per file and may keep state (a CSV header, the
/// CloudFront `#Fields:` map, the previous timestamp).
public protocol LineParser {
    /// The format this parser reads.
    static var format: LogFormat { get }
    /// How strongly a line (one of a file's first non-empty lines) looks like this format:
    /// 0 = not at all, 1 = could be, 2 = typical, 3 = unmistakable.
    static func sniff(_ line: UnsafeRawBufferPointer) -> Int
    init(context: ParseContext)
    /// Parses one line. The line excludes its terminator (LF or CRLF). Fields of the returned
    /// record point into `line`.
    mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome
}
