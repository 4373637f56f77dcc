import Foundation

/// nginx / Apache access logs in the `combined` and `common` layouts (reference §3.1):
///
///     client ident user [15/Jan/2024:10:23:45 +0100] "GET /path?q HTTP/1.1" 502 157 "ref" "ua" …
///
/// - Anything after the status (byte count, `-` byte counts, referer, user agent, `combinedio`
///   `%I %O`, nginx `$request_time`, extra quoted fields) is ignored.
/// - Apache `vhost_combined` and similar prefixes are accepted: with four fields before the
///   time (`host[:port] client ident user [`) the first is the virtual host → `host` (port
///   dropped). With only two (`client - [`, the ident field missing) the line still parses.
/// - The time carries its own offset and is converted to UTC; an optional `.fraction` after
///   the seconds is honoured.
/// - The request line is read escape-aware (`\"` from Apache, `\xHH` from nginx kept raw):
///   `method` is its first word when that is an upper-case token, `path` is the request target
///   up to `?`. An empty, `-` or binary-garbage request (`"\x16\x03\x01…"`) leaves both empty
///   but the line still counts.
/// - `#` lines (comments/annotations placed in log files) → `.decoration`; lines with another
///   shape (error-log lines, syslog-wrapped access lines) → `.unrecognized`; an access-log shape
///   whose time cannot be read → `.badTimestamp`; no quoted request or no numeric status →
///   `.malformed`.
public struct AccessLogParser: LineParser {
    public static let format: LogFormat = .accessLog

    public init(context: ParseContext) {}

    /// 3 for a line that parses as an access-log record, 0 otherwise (error logs and syslog
    /// lines never have the `client ident user [DD/Mon/YYYY:…]` head).
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        guard line.count > 0, line[0] != 0x23 else { return 0 }
        if case .edge = parseLine(line) { return 3 }
        return 0
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        Self.parseLine(line)
    }

    static func parseLine(_ line0: UnsafeRawBufferPointer) -> ParseOutcome {
        let line = EdgeText.droppingBOM(line0)
        let n = line.count
        guard n > 0 else { return .skip(.blank) }
        var i = ByteScan.skipSpaces(line, from: 0)
        if i == n { return .skip(.blank) }
        if line[i] == 0x23 { return .skip(.decoration) }

        // Up to four space-separated fields before `[`.
        var tokS = (0, 0, 0, 0), tokE = (0, 0, 0, 0)
        var count = 0
        while i < n, line[i] != 0x5B {
            var e = i
            while e < n, line[e] != 0x20 { e += 1 }
            guard e < n, count < 4 else { return .skip(.unrecognized) }
            switch count {
            case 0: tokS.0 = i; tokE.0 = e
            case 1: tokS.1 = i; tokE.1 = e
            case 2: tokS.2 = i; tokE.2 = e
            default: tokS.3 = i; tokE.3 = e
            }
            count += 1
            i = e + 1
            if i < n, line[i] == 0x20 { return .skip(.unrecognized) }   // fields are single-spaced
        }
        guard i < n, count >= 2 else { return .skip(.unrecognized) }
        // The time: `[DD/Mon/YYYY:HH:MM:SS +hhmm]`; a `[` not followed by `DD/` is not ours.
        guard i + 4 < n, ByteScan.digits(line, at: i + 1, count: 2) != nil, line[i + 3] == 0x2F
        else { return .skip(.unrecognized) }
        guard let parsedTime = parseTime(line, at: i) else { return .skip(.badTimestamp) }
        let (timeUs, afterTime) = parsedTime

        var rec = EdgeRecord(timeUs: timeUs, status: 0)
        if count == 4 {
            rec.host = vhost(line, tokS.0, tokE.0)
            rec.clientIP = ByteScan.field(line, tokS.1, tokE.1)
        } else {
            rec.clientIP = ByteScan.field(line, tokS.0, tokE.0)
        }

        // The quoted request line.
        i = afterTime
        guard i + 1 < n, line[i] == 0x20, line[i + 1] == 0x22 else { return .skip(.malformed) }
        let reqStart = i + 2
        guard let reqEnd = requestEnd(line, openQuote: i + 1) else { return .skip(.malformed) }
        // Status.
        i = reqEnd + 2
        guard let st = ByteScan.digits(line, at: i, count: 3), i + 3 == n || line[i + 3] == 0x20
        else { return .skip(.malformed) }
        rec.status = st
        readRequest(line, reqStart, reqEnd, into: &rec)
        return .edge(rec)
    }

    /// `host` or `host:port` → host.
    static func vhost(_ line: UnsafeRawBufferPointer, _ s: Int, _ e: Int) -> ByteField {
        var j = e
        while j > s, line[j - 1] >= 0x30, line[j - 1] <= 0x39 { j -= 1 }
        if j < e, j > s + 1, line[j - 1] == 0x3A { return ByteScan.field(line, s, j - 1) }
        return ByteScan.field(line, s, e)
    }

    /// Parses `[DD/Mon/YYYY:HH:MM:SS[.frac] ±hhmm]` at `at` (the `[`): UTC µs and the index
    /// after `]`.
    static func parseTime(_ line: UnsafeRawBufferPointer, at: Int) -> (Int64, Int)? {
        let n = line.count
        guard at + 28 <= n,
              let d = ByteScan.digits(line, at: at + 1, count: 2), line[at + 3] == 0x2F,
              let mo = ByteScan.month(line, at: at + 4), line[at + 7] == 0x2F,
              let y = ByteScan.digits(line, at: at + 8, count: 4), line[at + 12] == 0x3A,
              let h = ByteScan.digits(line, at: at + 13, count: 2), line[at + 15] == 0x3A,
              let mi = ByteScan.digits(line, at: at + 16, count: 2), line[at + 18] == 0x3A,
              let s = ByteScan.digits(line, at: at + 19, count: 2),
              let secs = CivilTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        else { return nil }
        var i = at + 21
        var fracUs: Int64 = 0
        if line[i] == 0x2E || line[i] == 0x2C {
            guard let f = ByteScan.fraction(line, at: i + 1) else { return nil }
            fracUs = f.us
            i = f.end
        }
        guard i + 7 <= n, line[i] == 0x20, line[i + 1] == 0x2B || line[i + 1] == 0x2D,
              let oh = ByteScan.digits(line, at: i + 2, count: 2),
              let om = ByteScan.digits(line, at: i + 4, count: 2), oh <= 23, om <= 59,
              line[i + 6] == 0x5D
        else { return nil }
        let offset = Int64((oh * 3600 + om * 60) * (line[i + 1] == 0x2D ? -1 : 1))
        return ((secs - offset) * 1_000_000 + fracUs, i + 7)
    }

    /// Index of the quote closing the request line opened at `openQuote`. Backslash escapes
    /// are honoured; the closing quote must be followed by ` NNN` (the status), otherwise the
    /// next `" NNN` is taken (an unescaped quote inside a garbage request).
    static func requestEnd(_ line: UnsafeRawBufferPointer, openQuote: Int) -> Int? {
        let n = line.count
        @inline(__always) func statusFollows(_ q: Int) -> Bool {
            q + 4 < n && line[q + 1] == 0x20 && ByteScan.digits(line, at: q + 2, count: 3) != nil
                && (q + 5 == n || line[q + 5] == 0x20)
        }
        if let r = ByteScan.jsonStringEnd(line, openQuote: openQuote), statusFollows(r.end) { return r.end }
        var j = openQuote + 1
        while let q = ByteScan.find(0x22, in: line, from: j) {
            if statusFollows(q) { return q }
            j = q + 1
        }
        return nil
    }

    /// Method and path from the request line `[s, e)`.
    static func readRequest(_ line: UnsafeRawBufferPointer, _ s: Int, _ e: Int, into rec: inout EdgeRecord) {
        guard e > s else { return }
        var j = s
        while j < e, line[j] >= 0x41, line[j] <= 0x5A { j += 1 }
        let methodEnd = j
        guard methodEnd > s, methodEnd - s <= 20 else { return }
        if methodEnd == e { rec.method = ByteScan.field(line, s, e); return }   // `"HELP"`
        guard line[methodEnd] == 0x20 else { return }                           // not a method
        rec.method = ByteScan.field(line, s, methodEnd)
        let ts = methodEnd + 1
        var te = ts
        while te < e, line[te] != 0x20, line[te] != 0x3F { te += 1 }
        if te > ts { rec.path = ByteScan.field(line, ts, te) }
    }
}
