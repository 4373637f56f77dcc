/// Apache httpd `ErrorLog` lines with the default layout (log-formats reference §5).
///
///     2.4: [Mon Jan 15 10:23:45.123456 2024] [module:level] [pid N:tid T] MESSAGE
///     2.2: [Mon Jan 15 10:23:45 2024] [level] [client IP] MESSAGE
///
/// - Time is local wall clock without zone (`--tz`); the fraction may have 1–6 digits
///   (microseconds; some copies carry 4). Day of month zero- or space-padded.
/// - `module` (2.4; empty for `[:error]`), `severity` from the level (emerg 0 … debug 7,
///   `trace1`…`trace8` count as debug), `pid` from `[pid N]` / `[pid N:tid T]`.
/// - `message` starts after the last prefix bracket Apache itself writes: after `[pid …]` in
///   2.4, after `[level]` in 2.2. **`[client IP:PORT] ` / `[remote …] ` stay in the message**
///   (in 2.2 the client comes before `(STATUS)ERRTEXT: `, and the rules read the client address
///   from the message text anyway), as does `AHnnnnn: ` and a trailing `, referer: …`.
/// - `implied` is `.apache`.
/// - The syslog message form (`[module:level] [pid N] …` without timestamp, as logged with
///   `ErrorLog syslog`) is a record with `timeUs = OriginRecord.noTime`.
/// - Startup lines that Apache and apachectl print on stderr before the log is open carry no
///   timestamp (`AH00534: …`, `(98)Address already in use: AH00072: make_sock: …`,
///   `no listening sockets available, shutting down`, `apache2: Configuration error: …`,
///   `Syntax error on line 12 of …:` and the reason line after it, `Action 'start' failed.`,
///   `The Apache error log may have more information.`): records with
///   `timeUs = OriginRecord.noTime` (the pipeline uses the previous line's time), severity
///   unknown (-1), message = the whole line.
/// - Apache escapes control characters, so it never writes a record over several lines. A
///   timestamp-less line found after a record is therefore another program's stderr that went
///   into the error log (a library, a CGI, mod_php at startup): also a `noTime` record with the
///   whole line as message — except indented lines and `#0 …` stack frames, which are
///   `.continuation`. Lines that start like another format's record are `.unrecognized`.
/// - `#` comment lines (test annotations) are `.decoration`.
public struct ApacheErrorParser: LineParser {
    public static let format: LogFormat = .apacheError

    private var context: ParseContext
    private var previousUTC: Int64 = Int64.min
    /// True once a record has been read.
    private var inRecord = false
    /// The previous record was `Syntax error on line N of FILE:`; the next line is its reason.
    private var expectReason = false

    public init(context: ParseContext) {
        self.context = context
    }

    // MARK: - Sniffing

    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        if stampShape(line) {
            if let ts = timestamp(line), ts.end < line.count {
                var i = ByteScan.skipSpaces(line, from: ts.end)
                var dummy = OriginRecord(timeUs: 0)
                if levelBracket(line, at: &i, into: &dummy) { return 3 }
                return 2
            }
            return 1
        }
        if line.count > 0, line[0] == 0x5B {
            var i = 0
            var dummy = OriginRecord(timeUs: 0)
            if levelBracket(line, at: &i, into: &dummy) {
                i = ByteScan.skipSpaces(line, from: i)
                if ByteScan.hasPrefix("[pid ", in: line, at: i) || ByteScan.hasPrefix("[client ", in: line, at: i) { return 2 }
            }
            return 0
        }
        if OriginText.isApacheCode(line, at: 0) { return 2 }
        if line.count > 0, line[0] == 0x28, statusPrefixEnd(line) != nil,
           ByteScan.find(": AH", in: ByteScan.slice(line, 0, 240)) != nil { return 2 }
        if startupPhrase(line) { return 1 }
        return 0
    }

    // MARK: - Parsing

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if ByteScan.isBlank(line) { return .skip(.blank) }
        if Self.stampShape(line) {
            inRecord = true
            expectReason = false
            guard let ts = Self.timestamp(line) else { return .skip(.badTimestamp) }
            guard ts.end < line.count else { return .skip(.malformed) }
            let utc = context.localToUTC(ts.wallUs, hint: previousUTC)
            previousUTC = utc
            return .origin(Self.body(line, from: ts.end, timeUs: utc))
        }
        if line[0] == 0x5B {
            var i = 0
            var probe = OriginRecord(timeUs: 0)
            if Self.levelBracket(line, at: &i, into: &probe) {
                inRecord = true
                expectReason = false
                return .origin(Self.body(line, from: 0, timeUs: OriginRecord.noTime))
            }
        }
        if OriginText.isComment(line) { return .skip(.decoration) }
        if expectReason, !OriginText.looksLikeRecordStart(line) {
            expectReason = false
            return .origin(startupRecord(line))
        }
        if OriginText.isApacheCode(line, at: 0) || (line[0] == 0x28 && Self.statusPrefixEnd(line) != nil)
            || Self.startupPhrase(line) {
            return .origin(startupRecord(line))
        }
        if OriginText.looksLikeRecordStart(line) { return .skip(.unrecognized) }
        guard inRecord else { return .skip(.unrecognized) }
        if OriginText.looksIndentedOrFrame(line) { return .skip(.continuation) }
        return .origin(startupRecord(line))
    }

    /// A timestamp-less line kept whole as the message.
    private mutating func startupRecord(_ line: UnsafeRawBufferPointer) -> OriginRecord {
        inRecord = true
        var rec = OriginRecord(timeUs: OriginRecord.noTime)
        rec.implied = .apache
        rec.message = ByteScan.field(line, 0, line.count)
        // `Syntax error on line 12 of /etc/apache2/sites-enabled/000-default.conf:` — the reason
        // follows on the next line.
        if line[line.count - 1] == 0x3A, ByteScan.contains("Syntax error on line ", in: line) {
            expectReason = true
        } else {
            expectReason = false
        }
        return rec
    }

    /// Reads the prefix brackets after the timestamp (or at the start of a syslog-form line)
    /// and returns the record.
    private static func body(_ line: UnsafeRawBufferPointer, from: Int, timeUs: Int64) -> OriginRecord {
        var rec = OriginRecord(timeUs: timeUs)
        rec.implied = .apache
        let n = line.count
        var i = ByteScan.skipSpaces(line, from: from)
        if levelBracket(line, at: &i, into: &rec) {
            let save = i
            i = ByteScan.skipSpaces(line, from: i)
            if ByteScan.hasPrefix("[pid ", in: line, at: i), let p = ByteScan.digitRun(line, at: i + 5, max: 12) {
                var j = p.end
                if ByteScan.hasPrefix(":tid ", in: line, at: j) {
                    j += 5
                    while j < n, OriginText.isDigit(line[j]) { j += 1 }
                }
                if j < n, line[j] == 0x5D {
                    rec.pid = p.value
                    i = j + 1
                } else {
                    i = save
                }
            } else {
                i = save
            }
            i = ByteScan.skipSpaces(line, from: i)
        }
        rec.message = ByteScan.field(line, i, n)
        return rec
    }

    /// `[module:level]` (2.4) or `[level]` (2.2) at `i`: on success sets module and severity and
    /// moves `i` past the bracket.
    private static func levelBracket(_ line: UnsafeRawBufferPointer, at i: inout Int, into rec: inout OriginRecord) -> Bool {
        let n = line.count
        guard i < n, line[i] == 0x5B,
              let close = ByteScan.find(0x5D, in: ByteScan.slice(line, 0, i + 64), from: i + 1)
        else { return false }
        var colon = -1
        for k in (i + 1)..<close {
            let c = line[k]
            if c == ByteScan.space { return false }
            if c == 0x3A { colon = k }
        }
        if colon >= 0 {
            let sev = OriginText.lowercaseLevel(line, colon + 1, close)
            guard sev >= 0 else { return false }
            rec.module = ByteScan.field(line, i + 1, colon)
            rec.severity = sev
        } else {
            let sev = OriginText.lowercaseLevel(line, i + 1, close)
            guard sev >= 0 else { return false }
            rec.severity = sev
        }
        i = close + 1
        return true
    }

    /// `[Www Mmm` at the start.
    private static func stampShape(_ line: UnsafeRawBufferPointer) -> Bool {
        line.count > 8 && line[0] == 0x5B && ByteScan.isWeekday(line, at: 1) &&
            line[4] == ByteScan.space && ByteScan.month(line, at: 5) != nil
    }

    /// `[Www Mmm DD HH:MM:SS[.frac] YYYY]` at the start: the wall time (µs as if UTC) and the
    /// index after `]`.
    static func timestamp(_ line: UnsafeRawBufferPointer) -> (wallUs: Int64, end: Int)? {
        let n = line.count
        guard n > 24, let month = ByteScan.month(line, at: 5), line[8] == ByteScan.space else { return nil }
        var i = 9
        if line[i] == ByteScan.space { i += 1 }
        guard let day = ByteScan.digitRun(line, at: i, max: 2), day.end < n, line[day.end] == ByteScan.space else { return nil }
        i = day.end + 1
        guard let h = ByteScan.digits(line, at: i, count: 2), i + 8 <= n, line[i + 2] == 0x3A,
              let mi = ByteScan.digits(line, at: i + 3, count: 2), line[i + 5] == 0x3A,
              let s = ByteScan.digits(line, at: i + 6, count: 2)
        else { return nil }
        i += 8
        var frac: Int64 = 0
        if i < n, line[i] == 0x2E {
            guard let f = ByteScan.fraction(line, at: i + 1) else { return nil }
            frac = f.us
            i = f.end
        }
        guard i < n, line[i] == ByteScan.space, let y = ByteScan.digits(line, at: i + 1, count: 4),
              i + 5 < n, line[i + 5] == 0x5D,
              let secs = CivilTime.seconds(year: y, month: month, day: day.value, hour: h, minute: mi, second: s)
        else { return nil }
        return (secs * 1_000_000 + frac, i + 6)
    }

    /// `(98)`, `(EAI 2)`, `(OS 10061)` at the start followed by text: the index after `)`.
    private static func statusPrefixEnd(_ line: UnsafeRawBufferPointer) -> Int? {
        var i = 1
        if ByteScan.hasPrefix("EAI ", in: line, at: 1) { i = 5 } else if ByteScan.hasPrefix("OS ", in: line, at: 1) { i = 4 }
        if i < line.count, line[i] == 0x2D { i += 1 }
        guard let d = ByteScan.digitRun(line, at: i, max: 9), d.end + 1 < line.count, line[d.end] == 0x29 else { return nil }
        return d.end + 1
    }

    /// Startup texts without a code (reference §5.3 and apachectl).
    private static func startupPhrase(_ line: UnsafeRawBufferPointer) -> Bool {
        if ByteScan.hasPrefix("no listening sockets available", in: line)
            || ByteScan.hasPrefix("Syntax error on line ", in: line)
            || ByteScan.hasPrefix("Invalid command '", in: line)
            || ByteScan.hasPrefix("Action '", in: line)
            || ByteScan.hasPrefix("The Apache error log may have more information", in: line) {
            return true
        }
        // `apache2: …`, `httpd: …`, `/usr/sbin/apache2: …` (ap_server_argv0).
        guard let colon = ByteScan.find(0x3A, in: ByteScan.slice(line, 0, 64)), colon > 0,
              colon + 1 < line.count, line[colon + 1] == ByteScan.space,
              ByteScan.find(ByteScan.space, in: ByteScan.slice(line, 0, colon)) == nil
        else { return false }
        let name = ByteScan.slice(line, 0, colon)
        for suffix: StaticString in ["apache2", "httpd", "apache"] {
            let k = suffix.utf8CodeUnitCount
            if name.count >= k, ByteScan.hasPrefix(suffix, in: name, at: name.count - k),
               name.count == k || name[name.count - k - 1] == 0x2F {
                return true
            }
        }
        return false
    }
}
