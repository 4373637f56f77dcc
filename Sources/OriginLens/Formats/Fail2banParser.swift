/// fail2ban's log file (`logtarget = /var/log/fail2ban.log`; log-formats reference §8.5):
///
///     2024-01-15 10:23:45,123 fail2ban.actions        [812]: NOTICE  [nginx-limit-req] Ban 162.158.87.3
///
/// Python logging format `%(asctime)s %(name)-24s[%(process)d]: %(levelname)-7s %(message)s`.
/// - Time is local wall clock without zone (`--tz`), millisecond resolution (`,mmm`).
/// - `ident` is the logger name (`fail2ban.actions`), `pid` the process id, `severity` from
///   the level name (CRITICAL 2, ERROR 3, WARNING 4, NOTICE 5, INFO 6, DEBUG and fail2ban's
///   finer debug levels 7; -1 for an unknown name), `message` the text after the padded level
///   (`[nginx-limit-req] Ban 162.158.87.3`). The 0.8 layout without `[pid]`
///   (`fail2ban.actions: WARNING [ssh] Ban …`) is read too.
/// - `implied` is `.fail2ban`.
/// - With `logtarget = SYSLOG` the lines have no time of their own
///   (`fail2ban.actions        [812]: NOTICE  [sshd] Ban …`): records with
///   `timeUs = OriginRecord.noTime`.
/// - Timestamp-less lines after a record (multi-line Python tracebacks) are `.continuation`;
///   lines that start like another format's record are `.unrecognized`; `#` comments are
///   `.decoration`.
public struct Fail2banParser: LineParser {
    public static let format: LogFormat = .fail2ban

    private var context: ParseContext
    private var previousUTC: Int64 = Int64.min
    private var inRecord = false

    public init(context: ParseContext) {
        self.context = context
    }

    // MARK: - Sniffing

    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        if let st = stamp(line) {
            guard let b = body(line, from: st.end) else { return 0 }
            return ByteScan.hasPrefix("fail2ban", in: line, at: b.nameStart) ? 3 : (b.pid >= 0 ? 1 : 0)
        }
        if ByteScan.hasPrefix("fail2ban.", in: line), let b = body(line, from: 0), b.pid >= 0 { return 2 }
        return 0
    }

    // MARK: - Parsing

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if ByteScan.isBlank(line) { return .skip(.blank) }
        if OriginText.dateTimeShape(line, at: 0) == 0x2D, line[10] == ByteScan.space {
            inRecord = true
            guard let st = Self.stamp(line) else { return .skip(.badTimestamp) }
            guard let b = Self.body(line, from: st.end) else { return .skip(.malformed) }
            let utc = context.localToUTC(st.wallUs, hint: previousUTC)
            previousUTC = utc
            return .origin(Self.record(line, b, timeUs: utc))
        }
        if ByteScan.hasPrefix("fail2ban", in: line), let b = Self.body(line, from: 0) {
            inRecord = true
            return .origin(Self.record(line, b, timeUs: OriginRecord.noTime))
        }
        if OriginText.isComment(line) { return .skip(.decoration) }
        if OriginText.looksLikeRecordStart(line) { return .skip(.unrecognized) }
        return inRecord ? .skip(.continuation) : .skip(.unrecognized)
    }

    private static func record(_ line: UnsafeRawBufferPointer, _ b: Body, timeUs: Int64) -> OriginRecord {
        var rec = OriginRecord(timeUs: timeUs)
        rec.implied = .fail2ban
        rec.ident = ByteScan.field(line, b.nameStart, b.nameEnd)
        rec.pid = b.pid
        rec.severity = b.severity
        rec.message = ByteScan.field(line, b.messageStart, line.count)
        return rec
    }

    // MARK: - Pieces

    /// `YYYY-MM-DD HH:MM:SS[,mmm] `: wall time and the index after the space.
    private static func stamp(_ line: UnsafeRawBufferPointer) -> (wallUs: Int64, end: Int)? {
        let n = line.count
        guard n >= 20, let y = ByteScan.digits(line, at: 0, count: 4), line[4] == 0x2D,
              let mo = ByteScan.digits(line, at: 5, count: 2), line[7] == 0x2D,
              let d = ByteScan.digits(line, at: 8, count: 2), line[10] == ByteScan.space,
              let h = ByteScan.digits(line, at: 11, count: 2), line[13] == 0x3A,
              let mi = ByteScan.digits(line, at: 14, count: 2), line[16] == 0x3A,
              let s = ByteScan.digits(line, at: 17, count: 2),
              let secs = CivilTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        else { return nil }
        var i = 19
        var frac: Int64 = 0
        if i < n, line[i] == 0x2C || line[i] == 0x2E {
            guard let f = ByteScan.fraction(line, at: i + 1) else { return nil }
            frac = f.us
            i = f.end
        }
        guard i < n, line[i] == ByteScan.space else { return nil }
        return (secs * 1_000_000 + frac, i + 1)
    }

    private struct Body {
        var nameStart: Int
        var nameEnd: Int
        var pid: Int
        var severity: Int
        var messageStart: Int
    }

    /// `NAME[ pad][PID]: LEVEL[ pad] MESSAGE` (or `NAME[ pad]: LEVEL …`) from `from`.
    private static func body(_ line: UnsafeRawBufferPointer, from: Int) -> Body? {
        let n = line.count
        var i = from
        while i < n {
            let c = line[i]
            if c == ByteScan.space || c == 0x5B || c == 0x3A || c == ByteScan.tab { break }
            i += 1
        }
        let nameEnd = i
        guard nameEnd > from else { return nil }
        i = ByteScan.skipSpaces(line, from: i)
        var pid = -1
        if i < n, line[i] == 0x5B {
            guard let p = ByteScan.digitRun(line, at: i + 1, max: 12), p.end < n, line[p.end] == 0x5D else { return nil }
            pid = p.value
            i = p.end + 1
        }
        guard i + 1 < n, line[i] == 0x3A, line[i + 1] == ByteScan.space else { return nil }
        i = ByteScan.skipSpaces(line, from: i + 1)
        // Level name: upper-case letters (`Level 5` for unnamed levels).
        let l0 = i
        while i < n, OriginText.isUpper(line[i]) || OriginText.isLower(line[i]) { i += 1 }
        guard i > l0 else { return nil }
        var severity = levelSeverity(line, l0, i)
        if OriginText.equals(line, l0, i, "Level") {
            let j = ByteScan.skipSpaces(line, from: i)
            if let d = ByteScan.digitRun(line, at: j, max: 3) { i = d.end; severity = d.value < 20 ? 7 : (d.value < 30 ? 6 : -1) }
        }
        guard i == n || line[i] == ByteScan.space else { return nil }
        // The level is padded to 7 and followed by one space.
        let padEnd = max(l0 + 8, i + 1)
        var m = i
        while m < n, m < padEnd, line[m] == ByteScan.space { m += 1 }
        return Body(nameStart: from, nameEnd: nameEnd, pid: pid, severity: severity, messageStart: m)
    }

    private static func levelSeverity(_ line: UnsafeRawBufferPointer, _ a: Int, _ b: Int) -> Int {
        switch b - a {
        case 3: return OriginText.equals(line, a, b, "MSG") ? 6 : -1
        case 4:
            if OriginText.equals(line, a, b, "INFO") { return 6 }
            if OriginText.equals(line, a, b, "WARN") { return 4 }
            return -1
        case 5:
            if OriginText.equals(line, a, b, "ERROR") { return 3 }
            if OriginText.equals(line, a, b, "DEBUG") || OriginText.equals(line, a, b, "HEAVY") || OriginText.equals(line, a, b, "TRACE") { return 7 }
            if OriginText.equals(line, a, b, "FATAL") { return 2 }
            return -1
        case 6: return OriginText.equals(line, a, b, "NOTICE") ? 5 : -1
        case 7: return OriginText.equals(line, a, b, "WARNING") ? 4 : -1
        case 8: return OriginText.equals(line, a, b, "CRITICAL") ? 2 : -1
        case 10:
            if OriginText.equals(line, a, b, "HEAVYDEBUG") || OriginText.equals(line, a, b, "TRACEDEBUG") { return 7 }
            return -1
        default: return -1
        }
    }
}
