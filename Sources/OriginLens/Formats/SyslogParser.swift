/// Classic syslog text and `journalctl` text output (log-formats reference §7.3, §7.4, §0): one
/// parser for every timestamp layout these files use, followed by `HOST TAG[PID]: MESSAGE`.
///
/// Timestamp layouts (an optional `<PRI>` may precede any of them):
///
///     Jan  5 10:23:44 host tag[pid]: msg                 RFC 3164 / rsyslog traditional (space-padded day)
///     Jan 05 10:23:44.123456 host tag[pid]: msg          journalctl short / short-precise (zero-padded day)
///     Jan  5 2024 10:23:44 host tag: msg                 devices that add the year
///     2024-01-15T10:23:45.123456+01:00 host tag[pid]: msg   rsyslog RSYSLOG_FileFormat, journalctl short-iso(-precise)
///     Mon 2024-01-15 10:23:45 CET host tag[pid]: msg     journalctl short-full
///     1705314225.123456 host tag[pid]: msg               journalctl short-unix
///     [12345.678901] msg                                 kernel ring buffer (`dmesg`)
///
/// - Time: month-name layouts have no year and no zone: the year comes from
///   `context.years.year(forMonth:)` and the wall time goes through `context.localToUTC` with
///   the previous record's UTC time as DST hint. ISO times with an offset (`+01:00`, `+0100`,
///   `Z`) and short-unix times are absolute; an ISO time without offset is local wall time.
///   short-full: `UTC`/`GMT` or a numeric offset is absolute, any other zone abbreviation is
///   read as local time in the `--tz` zone.
/// - `hostname`, `ident` (the tag without `[pid]`; may hold `/`, `.`, `-`, `(`), `pid` (-1
///   without `[pid]` or when it is not a number), `message` (after `: `; may be empty).
///   `severity` is `PRI & 7` when a `<PRI>` prefix is present, else -1.
/// - A line whose first word after the time is already a tag (`Jan 5 10:23:44 sshd[12]: msg`,
///   no host, as some devices write) has an empty `hostname`. A line with a host but no
///   `tag:` (`Jan  5 10:23:44 host some text`) is a record with an empty `ident` and the text
///   as `message`; a time and host with nothing after them is `.malformed`.
/// - Kernel lines: the `[  12345.678901] ` uptime prefix some setups write after `kernel: ` is
///   **stripped** from `message` (it is seconds since boot, not wall time, and would hide the
///   message start from the rules).
/// - `dmesg` lines (`[ 12345.678901] msg`, no wall clock, no host) are origin records with
///   `timeUs = OriginRecord.noTime` and `implied = .kernel`: the uptime cannot be turned into a
///   wall time without the boot time, so the pipeline places them after the previous record or,
///   in a dmesg-only file, counts them as `bad-timestamp`.
/// - `journalctl` decorations (`-- Boot <id> --`, `-- Reboot --`, `-- No entries --`,
///   `-- Logs begin at … --`, `-- Journal begins at … --`) are `.decoration`; lines starting with
///   a space or tab (journalctl's indented multi-line messages, macOS syslogd continuations)
///   are `.continuation`.
/// - RFC 5424 lines (`<PRI>1 …`) met in such a file are read with `Syslog5424Parser`'s rules.
/// - A line that looks like syslog but whose month is not an English abbreviation (a
///   localised `journalctl`, `août 19 11:08:37 …`) is `.badTimestamp`; other lines are
///   `.unrecognized`. rsyslog's `#012` escapes are left in `message` as written.
public struct SyslogParser: LineParser {
    public static let format: LogFormat = .syslog3164

    private var context: ParseContext
    /// UTC time of the previous timestamped record (DST overlap hint).
    private var previousUTC: Int64 = Int64.min

    public init(context: ParseContext) {
        self.context = context
    }

    // MARK: - Sniffing

    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        guard !line.isEmpty else { return 0 }
        let c0 = line[0]
        if c0 == ByteScan.space || c0 == ByteScan.tab { return 0 }
        if SyslogScan.isDecoration(line) { return 2 }
        var i = 0
        if let p = SyslogScan.pri(line) {
            // `<PRI>1 ` is RFC 5424.
            if SyslogScan.version(line, at: p.end) != nil { return 0 }
            i = p.end
        }
        if i == 0, SyslogScan.dmesgStamp(line) != nil { return 1 }
        guard let (stamp, end) = SyslogScan.scanStamp(line, at: i) else { return 0 }
        if case .invalid = stamp { return 1 }
        guard let body = SyslogScan.scanBody(line, from: end) else { return 1 }
        if !body.hasTag { return 1 }
        return body.pidStart >= 0 ? 3 : 2
    }

    // MARK: - Parsing

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if ByteScan.isBlank(line) { return .skip(.blank) }
        let c0 = line[0]
        if c0 == ByteScan.space || c0 == ByteScan.tab { return .skip(.continuation) }
        if c0 == 0x2D, SyslogScan.isDecoration(line) { return .skip(.decoration) }

        var i = 0
        var severity = -1
        if let p = SyslogScan.pri(line) {
            severity = p.value & 7
            if let v = SyslogScan.version(line, at: p.end) {
                return Syslog5424Parser.parseRecord(line, stampAt: v, severity: severity, bare: false,
                                                     context: &context, previousUTC: &previousUTC)
            }
            i = p.end
        }
        if i == 0, let end = SyslogScan.dmesgStamp(line) {
            var rec = OriginRecord(timeUs: OriginRecord.noTime)
            rec.implied = .kernel
            rec.message = ByteScan.field(line, end, line.count)
            return .origin(rec)
        }
        guard let (stamp, end) = SyslogScan.scanStamp(line, at: i) else {
            return .skip(SyslogScan.looksLikeLocalisedStamp(line, at: i) ? .badTimestamp : .unrecognized)
        }
        let timeUs: Int64
        switch stamp {
        case .invalid:
            return .skip(.badTimestamp)
        case .absolute(let us):
            timeUs = us
        case .local(let wall):
            timeUs = context.localToUTC(wall, hint: previousUTC)
        case .yearless(let month, let day, let hour, let minute, let second, let frac):
            let year = context.years.year(forMonth: month)
            guard let s = CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            else { return .skip(.badTimestamp) }
            timeUs = context.localToUTC(s * 1_000_000 + frac, hint: previousUTC)
        }
        previousUTC = timeUs

        guard let body = SyslogScan.scanBody(line, from: end) else { return .skip(.malformed) }
        if !body.hasTag, SyslogScan.isoLayout(line, at: i),
           Syslog5424Parser.isBareRecord(line, stampAt: i) {
            // A 5424 line without `<PRI>VERSION` (`TIME HOST APP PROCID MSGID SD MSG`).
            return Syslog5424Parser.parseRecord(line, stampAt: i, severity: severity, bare: true,
                                                 context: &context, previousUTC: &previousUTC)
        }
        var rec = OriginRecord(timeUs: timeUs)
        rec.severity = severity
        if body.hostStart >= 0 { rec.hostname = ByteScan.field(line, body.hostStart, body.hostEnd) }
        var msg = body.messageStart
        if body.hasTag {
            rec.ident = ByteScan.field(line, body.identStart, body.identEnd)
            if body.pidStart >= 0 {
                let pidBytes = ByteScan.slice(line, body.pidStart, body.pidEnd)
                if let p = ByteScan.parseInt(pidBytes), p >= 0 { rec.pid = p }
            }
            if rec.ident.equals("kernel"), let after = SyslogScan.uptimeStamp(line, at: msg) {
                msg = after
                if msg < line.count, line[msg] == ByteScan.space { msg += 1 }
            }
        }
        rec.message = ByteScan.field(line, msg, line.count)
        return .origin(rec)
    }
}

extension SyslogParser {
    /// True when sampled lines show journalctl's own output (decorations such as `-- Boot …`,
    /// `-- Journal begins …`, zero-padded days `Jan 05`, short-unix times) rather than a syslog
    /// daemon's file.
    public static func looksLikeJournalctl(lines: [[UInt8]]) -> Bool {
        for line in lines {
            let hit = line.withUnsafeBytes { b -> Bool in
                if SyslogScan.isDecoration(b) { return true }
                // `Jan 05 ` (rsyslog writes `Jan  5 `).
                if ByteScan.month(b, at: 0) != nil, SyslogScan.at(b, 3) == ByteScan.space,
                   SyslogScan.at(b, 4) == 0x30, SyslogScan.isDigit(SyslogScan.at(b, 5)),
                   SyslogScan.at(b, 6) == ByteScan.space,
                   let (stamp, _) = SyslogScan.scanStamp(b, at: 0), case .yearless = stamp {
                    return true
                }
                if SyslogScan.shortUnixLayout(b, at: 0) { return true }
                return false
            }
            if hit { return true }
        }
        return false
    }
}

/// Byte-level pieces shared by `SyslogParser` and `Syslog5424Parser`.
enum SyslogScan {
    @inline(__always)
    static func at(_ b: UnsafeRawBufferPointer, _ i: Int) -> UInt8 {
        i >= 0 && i < b.count ? b[i] : 0
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `<PRI>` at the start of the line (1–3 digits, at most 191): the value and the index after `>`.
    static func pri(_ b: UnsafeRawBufferPointer) -> (value: Int, end: Int)? {
        guard at(b, 0) == 0x3C else { return nil }
        var i = 1
        var v = 0
        while i < 4, isDigit(at(b, i)) {
            v = v * 10 + Int(b[i] - 0x30)
            i += 1
        }
        guard i > 1, at(b, i) == 0x3E, v <= 191 else { return nil }
        return (v, i + 1)
    }

    /// RFC 5424 VERSION at `i` (1–2 digits, not starting with 0) followed by a space: the index
    /// after the space.
    static func version(_ b: UnsafeRawBufferPointer, at i: Int) -> Int? {
        let c = at(b, i)
        guard c >= 0x31, c <= 0x39 else { return nil }
        if at(b, i + 1) == ByteScan.space { return i + 2 }
        if isDigit(at(b, i + 1)), at(b, i + 2) == ByteScan.space { return i + 3 }
        return nil
    }

    /// journalctl decorations: `-- Boot … --`, `-- Reboot --`, `-- No entries --`,
    /// `-- Logs begin at …`, `-- Journal begins at …`, or any `-- … --` line.
    static func isDecoration(_ b: UnsafeRawBufferPointer) -> Bool {
        guard ByteScan.hasPrefix("-- ", in: b) else { return false }
        if b.count >= 6, b[b.count - 1] == 0x2D, b[b.count - 2] == 0x2D, b[b.count - 3] == ByteScan.space {
            return true
        }
        return ByteScan.hasPrefix("-- Boot ", in: b) || ByteScan.hasPrefix("-- Logs begin at ", in: b)
            || ByteScan.hasPrefix("-- Journal begins at ", in: b) || ByteScan.hasPrefix("-- No entries --", in: b)
            || ByteScan.hasPrefix("-- Reboot --", in: b)
    }

    /// `[  12345.678901]` (seconds since boot) at `i`: the index after `]`.
    static func uptimeStamp(_ b: UnsafeRawBufferPointer, at i: Int) -> Int? {
        guard at(b, i) == 0x5B else { return nil }
        var j = i + 1
        while at(b, j) == ByteScan.space, j - i < 16 { j += 1 }
        let d0 = j
        while isDigit(at(b, j)), j - d0 < 12 { j += 1 }
        guard j > d0, at(b, j) == 0x2E else { return nil }
        j += 1
        let f0 = j
        while isDigit(at(b, j)), j - f0 < 9 { j += 1 }
        guard j > f0, at(b, j) == 0x5D else { return nil }
        return j + 1
    }

    /// A `dmesg` line: `[ 12345.678901] ` at the start: the index of the message.
    static func dmesgStamp(_ b: UnsafeRawBufferPointer) -> Int? {
        guard let e = uptimeStamp(b, at: 0) else { return nil }
        if e == b.count { return e }
        return at(b, e) == ByteScan.space ? e + 1 : nil
    }

    /// `YYYY-MM-DDT` at `i`.
    static func isoLayout(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        ByteScan.digits(b, at: i, count: 4) != nil && at(b, i + 4) == 0x2D && at(b, i + 7) == 0x2D
            && (at(b, i + 10) == 0x54 || at(b, i + 10) == 0x74)
    }

    /// `SSSSSSSSSS.uuuuuu ` (9–12 digits of seconds) at `i`.
    static func shortUnixLayout(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard let r = ByteScan.digitRun(b, at: i, max: 13), r.end - i >= 9, r.end - i <= 12,
              at(b, r.end) == 0x2E, let f = ByteScan.digitRun(b, at: r.end + 1, max: 10),
              f.end - r.end - 1 <= 9 else { return false }
        return f.end == b.count || at(b, f.end) == ByteScan.space
    }

    /// A time as a line writes it.
    enum Stamp {
        /// Month-name layout without a year: local wall time, year to be inferred.
        case yearless(month: Int, day: Int, hour: Int, minute: Int, second: Int, fracUs: Int64)
        /// Local wall time with a year (microseconds as if UTC).
        case local(Int64)
        /// A UTC instant (microseconds).
        case absolute(Int64)
        /// The layout is recognised but a value is out of range.
        case invalid
    }

    /// Fraction digits at `i` (after the `.`): microseconds (digits beyond the sixth are
    /// dropped) and the index after the digits. Nil when there is no digit.
    static func fraction(_ b: UnsafeRawBufferPointer, at i: Int) -> (us: Int64, end: Int)? {
        ByteScan.fraction(b, at: i)
    }

    /// Reads a timestamp in one of the layouts at `i`. Returns the value and the index after
    /// it (at the space before the host, or the line end). Nil when no layout matches.
    static func scanStamp(_ b: UnsafeRawBufferPointer, at i: Int) -> (Stamp, Int)? {
        if let month = ByteScan.month(b, at: i), at(b, i + 3) == ByteScan.space {
            return monthStamp(b, month: month, at: i + 4)
        }
        if isoLayout(b, at: i) {
            guard let r = CivilTime.parseISO(b, at: i) else {
                return (.invalid, ByteScan.find(ByteScan.space, in: b, from: i) ?? b.count)
            }
            guard r.end == b.count || at(b, r.end) == ByteScan.space else {
                return (.invalid, ByteScan.find(ByteScan.space, in: b, from: r.end) ?? b.count)
            }
            return (r.hadZone ? .absolute(r.us) : .local(r.us), r.end)
        }
        if ByteScan.isWeekday(b, at: i), at(b, i + 3) == ByteScan.space,
           ByteScan.digits(b, at: i + 4, count: 4) != nil, at(b, i + 8) == 0x2D, at(b, i + 14) == ByteScan.space {
            return shortFullStamp(b, at: i + 4)
        }
        if shortUnixLayout(b, at: i), let r = ByteScan.digitRun(b, at: i, max: 13),
           let f = fraction(b, at: r.end + 1) {
            var end = r.end + 1
            while isDigit(at(b, end)) { end += 1 }
            return (.absolute(Int64(r.value) * 1_000_000 + f.us), end)
        }
        return nil
    }

    /// `dd HH:MM:SS[.frac]` or `dd YYYY HH:MM:SS[.frac]` after `Mmm `; the day may be
    /// space-padded (`Jan  5`), zero-padded (`Jan 05`) or bare (`Jan 5`).
    private static func monthStamp(_ b: UnsafeRawBufferPointer, month: Int, at start: Int) -> (Stamp, Int)? {
        var j = start
        var day: Int
        if at(b, j) == ByteScan.space {
            guard isDigit(at(b, j + 1)) else { return nil }
            day = Int(b[j + 1] - 0x30)
            j += 2
        } else if isDigit(at(b, j)) {
            day = Int(b[j] - 0x30)
            j += 1
            if isDigit(at(b, j)) {
                day = day * 10 + Int(b[j] - 0x30)
                j += 1
            }
        } else {
            return nil
        }
        guard at(b, j) == ByteScan.space else { return nil }
        j += 1
        var year: Int? = nil
        if let y = ByteScan.digits(b, at: j, count: 4), at(b, j + 4) == ByteScan.space {
            year = y
            j += 5
        }
        guard let h = ByteScan.digits(b, at: j, count: 2), at(b, j + 2) == 0x3A,
              let mi = ByteScan.digits(b, at: j + 3, count: 2), at(b, j + 5) == 0x3A,
              let s = ByteScan.digits(b, at: j + 6, count: 2) else { return nil }
        j += 8
        var frac: Int64 = 0
        if at(b, j) == 0x2E, let f = fraction(b, at: j + 1) {
            frac = f.us
            j = f.end
        }
        guard j == b.count || at(b, j) == ByteScan.space else { return nil }
        guard day >= 1, day <= 31, h <= 23, mi <= 59, s <= 60 else { return (.invalid, j) }
        if let y = year {
            guard let secs = CivilTime.seconds(year: y, month: month, day: day, hour: h, minute: mi, second: s)
            else { return (.invalid, j) }
            return (.local(secs * 1_000_000 + frac), j)
        }
        return (.yearless(month: month, day: day, hour: h, minute: mi, second: s, fracUs: frac), j)
    }

    /// journalctl short-full after the weekday: `YYYY-MM-DD HH:MM:SS[.frac] ZONE`.
    private static func shortFullStamp(_ b: UnsafeRawBufferPointer, at i: Int) -> (Stamp, Int)? {
        guard let r = CivilTime.parseISO(b, at: i) else {
            return (.invalid, ByteScan.find(ByteScan.space, in: b, from: i + 11) ?? b.count)
        }
        if r.hadZone {
            return r.end == b.count || at(b, r.end) == ByteScan.space ? (.absolute(r.us), r.end) : nil
        }
        guard at(b, r.end) == ByteScan.space else { return r.end == b.count ? (.local(r.us), r.end) : nil }
        let z0 = r.end + 1
        let z1 = ByteScan.find(ByteScan.space, in: b, from: z0) ?? b.count
        let zone = ByteScan.slice(b, z0, z1)
        let n = zone.count
        if n >= 1, n <= 6, zone.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
            if n == 3, ByteScan.hasPrefix("UTC", in: zone) || ByteScan.hasPrefix("GMT", in: zone) {
                return (.absolute(r.us), z1)
            }
            if (n == 1 && zone[0] == 0x5A) || (n == 2 && ByteScan.hasPrefix("UT", in: zone)) {
                return (.absolute(r.us), z1)
            }
            return (.local(r.us), z1)
        }
        if n == 3 || n == 5, zone[0] == 0x2B || zone[0] == 0x2D,
           let hh = ByteScan.digits(zone, at: 1, count: 2) {
            let mm = n == 5 ? (ByteScan.digits(zone, at: 3, count: 2) ?? 0) : 0
            let off = Int64(hh * 3600 + mm * 60) * (zone[0] == 0x2D ? -1 : 1)
            return (.absolute(r.us - off * 1_000_000), z1)
        }
        // No recognisable zone: the token is the host.
        return (.local(r.us), r.end)
    }

    /// `word dd HH:MM:SS ` where word is not an English month (localised journalctl output).
    static func looksLikeLocalisedStamp(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard let sp = ByteScan.find(ByteScan.space, in: b, from: i), sp - i >= 3, sp - i <= 12 else { return false }
        for k in i..<sp {
            let c = b[k]
            let letter = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c >= 0x80 || c == 0x2E
            if !letter { return false }
        }
        var j = sp + 1
        if at(b, j) == ByteScan.space { j += 1 }
        guard isDigit(at(b, j)) else { return false }
        j += isDigit(at(b, j + 1)) ? 2 : 1
        guard at(b, j) == ByteScan.space, ByteScan.digits(b, at: j + 1, count: 2) != nil,
              at(b, j + 3) == 0x3A, ByteScan.digits(b, at: j + 4, count: 2) != nil, at(b, j + 6) == 0x3A,
              ByteScan.digits(b, at: j + 7, count: 2) != nil else { return false }
        return true
    }

    /// Where the parts after the timestamp lie. Indices into the line; -1 = absent.
    struct Body {
        var hostStart = -1, hostEnd = -1
        var hasTag = false
        var identStart = -1, identEnd = -1
        var pidStart = -1, pidEnd = -1
        var messageStart = 0
    }

    /// `name:` or `name[pid]:` at `q`: (ident end, pid range or -1, index after `:`).
    private static func tag(_ b: UnsafeRawBufferPointer, at q: Int) -> (identEnd: Int, pidStart: Int, pidEnd: Int, colon: Int)? {
        var j = q
        while j < b.count {
            let c = b[j]
            if c == ByteScan.space || c == ByteScan.tab || c == 0x3A || c == 0x5B { break }
            j += 1
        }
        guard j > q, j < b.count else { return nil }
        if b[j] == 0x3A { return (j, -1, -1, j) }
        guard b[j] == 0x5B else { return nil }
        var k = j + 1
        while k < b.count, b[k] != 0x5D, b[k] != ByteScan.space { k += 1 }
        guard at(b, k) == 0x5D, at(b, k + 1) == 0x3A else { return nil }
        return (j, j + 1, k, k + 1)
    }

    /// Splits what follows the timestamp (starting at `from`) into host, tag and message.
    /// Nil when nothing or only a host follows.
    static func scanBody(_ b: UnsafeRawBufferPointer, from: Int) -> Body? {
        let p = ByteScan.skipSpaces(b, from: from)
        guard p < b.count else { return nil }
        var body = Body()
        let tok1End = ByteScan.find(ByteScan.space, in: b, from: p) ?? b.count
        var q = p
        if let t = tag(b, at: p), t.colon == tok1End - 1 {
            // No host: the first word is already `tag:` / `tag[pid]:`.
        } else {
            body.hostStart = p
            body.hostEnd = tok1End
            q = ByteScan.skipSpaces(b, from: tok1End)
            guard q < b.count else { return nil }
        }
        if let t = tag(b, at: q) {
            body.hasTag = true
            body.identStart = q
            body.identEnd = t.identEnd
            body.pidStart = t.pidStart
            body.pidEnd = t.pidEnd
            var m = t.colon + 1
            if at(b, m) == ByteScan.space { m += 1 }
            body.messageStart = min(m, b.count)
        } else {
            body.messageStart = q
        }
        return body
    }
}
