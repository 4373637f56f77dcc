/// php-fpm's own log (`error_log` in php-fpm.conf; log-formats reference §6):
///
///     [15-Jan-2024 10:23:45] WARNING: [pool www] child 2291 exited on signal 9 (SIGKILL) after …
///     [15-Jan-2024 10:23:45.123456] DEBUG: pid 1234, fpm_event_loop(), line 418: event module …
///
/// - Time is local wall clock without zone (`--tz`); `.uuuuuu` only at `log_level = debug`.
/// - `severity` from the level: DEBUG 7, NOTICE 5, WARNING 4, ERROR 3, ALERT 1.
/// - The debug insert `pid N, function(), line N: ` gives `pid` and is not part of `message`
///   (children write `function(), line N: ` without the pid).
/// - `implied` is `.phpFpm`.
/// - Forms without a timestamp are records with `timeUs = OriginRecord.noTime` (the pipeline
///   uses the previous line's time): `error_log = syslog` lines (`[WARNING] MESSAGE`), lines a
///   child wrote itself (`WARNING: MESSAGE`) and pool lines (`[pool www] …`).
/// - PHP's own `error_log` shares the date layout but names the zone:
///   `[15-Jan-2024 10:23:45 UTC] PHP Fatal error:  …` (`d-M-Y H:i:s e`). Such lines are read
///   in the zone they name (IANA name, `UTC`, or an offset; an unknown name falls back to
///   `--tz`); severity from `PHP Fatal error`/`Parse error` (3), `PHP Warning` (4),
///   `PHP Notice`/`Deprecated`/`Strict Standards` (5); message = everything after `] `.
/// - Other timestamp-less lines after a record (raw worker output with
///   `decorate_workers_output = no`, the `Stack trace:` / `#0 …` lines of an uncaught
///   exception) are `.continuation`; lines that start like another format's record are
///   `.unrecognized`; `#` comments are `.decoration`.
public struct PhpFpmParser: LineParser {
    public static let format: LogFormat = .phpFpm

    private var context: ParseContext
    private var previousUTC: Int64 = Int64.min
    private var inRecord = false
    /// The zone named by the last PHP error_log line, and its converter (nil: use `--tz`).
    private var zoneName: [UInt8] = []
    private var zoneConverter: LocalTimeConverter? = nil
    private var zoneIsUTC = false

    public init(context: ParseContext) {
        self.context = context
    }

    // MARK: - Sniffing

    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        if stampShape(line) {
            guard let st = stamp(line) else { return 1 }
            if st.zone != nil { return 2 }
            let i = st.end
            if let lv = levelWord(line, from: i, to: min(line.count, i + 8)), lv.end + 1 < line.count,
               line[lv.end] == 0x3A, line[lv.end + 1] == ByteScan.space {
                return 3
            }
            return 1
        }
        var i = 0
        if line.count > 2, line[0] == 0x5B, let lv = levelWord(line, from: 1, to: min(line.count, 9)),
           lv.end + 1 < line.count, line[lv.end] == 0x5D, line[lv.end + 1] == ByteScan.space {
            i = lv.end + 2
        } else if let lv = levelWord(line, from: 0, to: min(line.count, 8)), lv.end + 1 < line.count,
                  line[lv.end] == 0x3A, line[lv.end + 1] == ByteScan.space {
            i = lv.end + 2
        } else {
            return ByteScan.hasPrefix("[pool ", in: line) ? 1 : 0
        }
        return ByteScan.hasPrefix("[pool ", in: line, at: i) ? 2 : 1
    }

    // MARK: - Parsing

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if ByteScan.isBlank(line) { return .skip(.blank) }
        let n = line.count
        if Self.stampShape(line) {
            inRecord = true
            guard let st = Self.stamp(line) else { return .skip(.badTimestamp) }
            let utc: Int64
            if let z = st.zone {
                utc = toUTC(wallUs: st.wallUs, zone: ByteScan.slice(line, z.lowerBound, z.upperBound))
            } else {
                utc = context.localToUTC(st.wallUs, hint: previousUTC)
            }
            previousUTC = utc
            var rec = OriginRecord(timeUs: utc)
            rec.implied = .phpFpm
            let i = st.end
            if st.zone == nil, let lv = Self.levelWord(line, from: i, to: min(n, i + 8)), lv.end < n, line[lv.end] == 0x3A {
                rec.severity = lv.severity
                var j = lv.end + 1
                if j < n, line[j] == ByteScan.space { j += 1 }
                j = Self.skipDebugInsert(line, at: j, pid: &rec.pid)
                rec.message = ByteScan.field(line, j, n)
            } else {
                rec.severity = Self.phpSeverity(line, at: i)
                rec.message = ByteScan.field(line, i, n)
            }
            return .origin(rec)
        }
        // `[LEVEL] MESSAGE` (error_log = syslog)
        if line[0] == 0x5B, let lv = Self.levelWord(line, from: 1, to: min(n, 9)), lv.end < n, line[lv.end] == 0x5D {
            var j = lv.end + 1
            if j < n, line[j] == ByteScan.space { j += 1 }
            return .origin(noTimeRecord(line, severity: lv.severity, at: j))
        }
        // `LEVEL: MESSAGE` (written by a child)
        if let lv = Self.levelWord(line, from: 0, to: min(n, 8)), lv.end + 1 < n, line[lv.end] == 0x3A,
           line[lv.end + 1] == ByteScan.space {
            return .origin(noTimeRecord(line, severity: lv.severity, at: lv.end + 2))
        }
        if ByteScan.hasPrefix("[pool ", in: line) {
            return .origin(noTimeRecord(line, severity: -1, at: 0))
        }
        if OriginText.isComment(line) { return .skip(.decoration) }
        if OriginText.looksLikeRecordStart(line) { return .skip(.unrecognized) }
        return inRecord ? .skip(.continuation) : .skip(.unrecognized)
    }

    private mutating func noTimeRecord(_ line: UnsafeRawBufferPointer, severity: Int, at i: Int) -> OriginRecord {
        inRecord = true
        var rec = OriginRecord(timeUs: OriginRecord.noTime)
        rec.implied = .phpFpm
        rec.severity = severity
        var pid = -1
        let j = Self.skipDebugInsert(line, at: i, pid: &pid)
        rec.pid = pid
        rec.message = ByteScan.field(line, j, line.count)
        return rec
    }

    /// UTC for a PHP error_log wall time in the zone the line names.
    private mutating func toUTC(wallUs: Int64, zone: UnsafeRawBufferPointer) -> Int64 {
        if !zone.elementsEqual(zoneName) {
            zoneName = Array(zone)
            let name = String(decoding: zone, as: UTF8.self)
            zoneIsUTC = false
            zoneConverter = nil
            if let spec = TimeZoneSpec(parsing: name) {
                if spec == .utc { zoneIsUTC = true } else { zoneConverter = LocalTimeConverter(spec) }
            }
        }
        if zoneIsUTC { return wallUs }
        if zoneConverter != nil { return zoneConverter!.toUTC(wallUs: wallUs, hintUTC: previousUTC) }
        return context.localToUTC(wallUs, hint: previousUTC)
    }

    // MARK: - Pieces

    /// `[DD-Mon-YYYY ` at the start.
    private static func stampShape(_ line: UnsafeRawBufferPointer) -> Bool {
        line.count > 12 && line[0] == 0x5B && ByteScan.digits(line, at: 1, count: 2) != nil &&
            line[3] == 0x2D && ByteScan.month(line, at: 4) != nil && line[7] == 0x2D
    }

    /// `[DD-Mon-YYYY HH:MM:SS[.uuuuuu][ ZONE]] `: wall time, the zone's byte range when named,
    /// and the index of the text after `] `.
    private static func stamp(_ line: UnsafeRawBufferPointer) -> (wallUs: Int64, zone: Range<Int>?, end: Int)? {
        let n = line.count
        guard n >= 22, let d = ByteScan.digits(line, at: 1, count: 2), let mo = ByteScan.month(line, at: 4),
              let y = ByteScan.digits(line, at: 8, count: 4), line[12] == ByteScan.space,
              let h = ByteScan.digits(line, at: 13, count: 2), line[15] == 0x3A,
              let mi = ByteScan.digits(line, at: 16, count: 2), line[18] == 0x3A,
              let s = ByteScan.digits(line, at: 19, count: 2),
              let secs = CivilTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        else { return nil }
        var i = 21
        var frac: Int64 = 0
        if i < n, line[i] == 0x2E {
            guard let f = ByteScan.fraction(line, at: i + 1) else { return nil }
            frac = f.us
            i = f.end
        }
        var zone: Range<Int>? = nil
        if i < n, line[i] == ByteScan.space {
            let z0 = i + 1
            guard let close = ByteScan.find(0x5D, in: ByteScan.slice(line, 0, z0 + 64), from: z0), close > z0,
                  ByteScan.find(ByteScan.space, in: ByteScan.slice(line, z0, close)) == nil
            else { return nil }
            zone = z0..<close
            i = close
        }
        guard i < n, line[i] == 0x5D else { return nil }
        i += 1
        if i < n, line[i] == ByteScan.space { i += 1 }
        return (secs * 1_000_000 + frac, zone, i)
    }

    /// A php-fpm level word (`DEBUG`, `NOTICE`, `WARNING`, `ERROR`, `ALERT`) starting at `from`
    /// and ending before a non-letter within `to`.
    private static func levelWord(_ line: UnsafeRawBufferPointer, from: Int, to: Int) -> (severity: Int, end: Int)? {
        var e = from
        while e < to, OriginText.isUpper(line[e]) { e += 1 }
        let sev: Int
        switch e - from {
        case 5:
            if OriginText.equals(line, from, e, "DEBUG") { sev = 7 }
            else if OriginText.equals(line, from, e, "ERROR") { sev = 3 }
            else if OriginText.equals(line, from, e, "ALERT") { sev = 1 }
            else { return nil }
        case 6:
            guard OriginText.equals(line, from, e, "NOTICE") else { return nil }
            sev = 5
        case 7:
            guard OriginText.equals(line, from, e, "WARNING") else { return nil }
            sev = 4
        default:
            return nil
        }
        return (sev, e)
    }

    /// Skips the debug insert `pid N, function(), line N: ` (or `function(), line N: `) at `i`.
    private static func skipDebugInsert(_ line: UnsafeRawBufferPointer, at i0: Int, pid: inout Int) -> Int {
        var i = i0
        let n = line.count
        if ByteScan.hasPrefix("pid ", in: line, at: i), let p = ByteScan.digitRun(line, at: i + 4, max: 12),
           ByteScan.hasPrefix(", ", in: line, at: p.end) {
            pid = p.value
            i = p.end + 2
        }
        // `function(), line N: ` — the function name has no spaces.
        let window = ByteScan.slice(line, 0, min(n, i + 96))
        if let f = ByteScan.find("(), line ", in: window, from: i), f > i,
           ByteScan.find(ByteScan.space, in: ByteScan.slice(line, i, f)) == nil,
           let ln = ByteScan.digitRun(line, at: f + 9, max: 9), ByteScan.hasPrefix(": ", in: line, at: ln.end) {
            return ln.end + 2
        }
        return i
    }

    /// Severity of a PHP error_log message (`PHP Fatal error:  …`); -1 when not recognised.
    private static func phpSeverity(_ line: UnsafeRawBufferPointer, at i: Int) -> Int {
        guard ByteScan.hasPrefix("PHP ", in: line, at: i) else { return -1 }
        let j = i + 4
        if ByteScan.hasPrefix("Fatal error", in: line, at: j) || ByteScan.hasPrefix("Parse error", in: line, at: j)
            || ByteScan.hasPrefix("Recoverable fatal error", in: line, at: j)
            || ByteScan.hasPrefix("Catchable fatal error", in: line, at: j) { return 3 }
        if ByteScan.hasPrefix("Warning", in: line, at: j) { return 4 }
        if ByteScan.hasPrefix("Notice", in: line, at: j) || ByteScan.hasPrefix("Deprecated", in: line, at: j)
            || ByteScan.hasPrefix("Strict Standards", in: line, at: j) { return 5 }
        return -1
    }
}
