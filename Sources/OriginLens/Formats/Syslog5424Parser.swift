/// RFC 5424 syslog lines (log-formats reference §7.4; rsyslog `RSYSLOG_SyslogProtocol23Format`):
///
///     <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]
///     <165>1 2024-01-15T10:23:45.123456+01:00 web1 nginx 2207 - [meta x="1"] message
///
/// - `-` is the nil value of every header field. TIMESTAMP is ISO 8601 with an offset
///   (absolute); without an offset it is read as local time in the `--tz` zone; `-` gives
///   `timeUs = OriginRecord.noTime` (the pipeline uses the previous record's time).
/// - `severity` = PRI & 7, `hostname` = HOSTNAME, `ident` = APP-NAME, `pid` = PROCID when it is a
///   number (else -1), `module` = MSGID, `message` = MSG without its UTF-8 BOM (empty when the
///   line ends after the structured data). Structured data (`[id k="v" …]…`, with `\"`, `\]`
///   and `\\` escapes inside values) is stepped over, not kept.
/// - Also read, more strictly (PROCID must be a number or `-`, APP-NAME must not look like a
///   `tag:`, STRUCTURED-DATA must be `-` or `[…]`), are the same lines without `<PRI>`
///   (`1 2024-…`) and without `<PRI>VERSION` (`2024-… HOST APP PROCID MSGID SD MSG`, as some
///   appliances write their files); a line that fails these checks is `.unrecognized`, so that
///   the syslog text parser can take it.
/// - `<PRI>` followed by anything but a version is RFC 3164 (`SyslogParser`): `.unrecognized`.
/// - A recognised line with a broken header or an unterminated structured-data element is
///   `.malformed`; an unreadable timestamp is `.badTimestamp`.
public struct Syslog5424Parser: LineParser {
    public static let format: LogFormat = .syslog5424

    private var context: ParseContext
    /// UTC time of the previous timestamped record (DST overlap hint).
    private var previousUTC: Int64 = Int64.min

    public init(context: ParseContext) {
        self.context = context
    }

    // MARK: - Sniffing

    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        guard !line.isEmpty else { return 0 }
        if let p = SyslogScan.pri(line) {
            guard let v = SyslogScan.version(line, at: p.end) else { return 0 }
            if case .ok = scan(line, stampAt: v, strict: false) { return 3 }
            return 1
        }
        if let v = SyslogScan.version(line, at: 0), SyslogScan.isoLayout(line, at: v) {
            if case .ok = scan(line, stampAt: v, strict: true) { return 3 }
            return 0
        }
        if SyslogScan.isoLayout(line, at: 0), isBareRecord(line, stampAt: 0) { return 2 }
        return 0
    }

    // MARK: - Parsing

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if ByteScan.isBlank(line) { return .skip(.blank) }
        let c0 = line[0]
        if c0 == ByteScan.space || c0 == ByteScan.tab { return .skip(.continuation) }
        if let p = SyslogScan.pri(line) {
            guard let v = SyslogScan.version(line, at: p.end) else { return .skip(.unrecognized) }
            return Self.parseRecord(line, stampAt: v, severity: p.value & 7, bare: false,
                                    context: &context, previousUTC: &previousUTC)
        }
        if let v = SyslogScan.version(line, at: 0), SyslogScan.isoLayout(line, at: v) {
            return Self.parseRecord(line, stampAt: v, severity: -1, bare: true,
                                    context: &context, previousUTC: &previousUTC)
        }
        if SyslogScan.isoLayout(line, at: 0) {
            return Self.parseRecord(line, stampAt: 0, severity: -1, bare: true,
                                    context: &context, previousUTC: &previousUTC)
        }
        return .skip(.unrecognized)
    }

    /// True when the line from `stampAt` on is `TIMESTAMP HOST APP PROCID MSGID SD [MSG]`
    /// under the strict checks used for lines without `<PRI>VERSION`.
    static func isBareRecord(_ line: UnsafeRawBufferPointer, stampAt i: Int) -> Bool {
        if case .ok = scan(line, stampAt: i, strict: true) { return true }
        return false
    }

    /// Reads the record whose TIMESTAMP starts at `stampAt`. `bare`: the line had no
    /// `<PRI>VERSION`, so the strict checks apply and any failure is `.unrecognized`.
    static func parseRecord(_ line: UnsafeRawBufferPointer, stampAt i: Int, severity: Int, bare: Bool,
                            context: inout ParseContext, previousUTC: inout Int64) -> ParseOutcome {
        let f: Fields
        switch scan(line, stampAt: i, strict: bare) {
        case .ok(let fields): f = fields
        case .badTime: return .skip(bare ? .unrecognized : .badTimestamp)
        case .malformed: return .skip(bare ? .unrecognized : .malformed)
        }
        let timeUs: Int64
        switch f.time {
        case .none: timeUs = OriginRecord.noTime
        case .absolute(let us): timeUs = us; previousUTC = us
        case .local(let wall):
            timeUs = context.localToUTC(wall, hint: previousUTC)
            previousUTC = timeUs
        }
        var rec = OriginRecord(timeUs: timeUs)
        rec.severity = severity
        if f.hostStart >= 0 { rec.hostname = ByteScan.field(line, f.hostStart, f.hostEnd) }
        if f.appStart >= 0 { rec.ident = ByteScan.field(line, f.appStart, f.appEnd) }
        if f.procStart >= 0, let p = ByteScan.parseInt(ByteScan.slice(line, f.procStart, f.procEnd)), p >= 0 {
            rec.pid = p
        }
        if f.msgidStart >= 0 { rec.module = ByteScan.field(line, f.msgidStart, f.msgidEnd) }
        rec.message = ByteScan.field(line, f.messageStart, line.count)
        return .origin(rec)
    }

    // MARK: - Scanning

    enum Time {
        case none
        case absolute(Int64)
        case local(Int64)
    }

    /// Field positions; -1 = nil value.
    struct Fields {
        var time: Time = .none
        var hostStart = -1, hostEnd = -1
        var appStart = -1, appEnd = -1
        var procStart = -1, procEnd = -1
        var msgidStart = -1, msgidEnd = -1
        var messageStart = 0
    }

    enum ScanResult {
        case ok(Fields)
        case badTime
        case malformed
    }

    /// Reads the header from TIMESTAMP (at `i`) on.
    static func scan(_ b: UnsafeRawBufferPointer, stampAt i: Int, strict: Bool) -> ScanResult {
        var f = Fields()
        var j: Int
        if SyslogScan.at(b, i) == 0x2D, i + 1 == b.count || b[i + 1] == ByteScan.space {
            j = i + 1
        } else if SyslogScan.isoLayout(b, at: i) {
            guard let r = CivilTime.parseISO(b, at: i), r.end == b.count || b[r.end] == ByteScan.space else {
                return .badTime
            }
            f.time = r.hadZone ? .absolute(r.us) : .local(r.us)
            j = r.end
        } else {
            return .badTime
        }
        // HOSTNAME APP-NAME PROCID MSGID
        guard let host = token(b, &j, strict: strict), let app = token(b, &j, strict: strict),
              let proc = token(b, &j, strict: strict), let msgid = token(b, &j, strict: strict)
        else { return .malformed }
        (f.hostStart, f.hostEnd) = host
        (f.appStart, f.appEnd) = app
        (f.procStart, f.procEnd) = proc
        (f.msgidStart, f.msgidEnd) = msgid
        if strict {
            if f.appStart >= 0 {
                guard f.appEnd - f.appStart <= 48, b[f.appEnd - 1] != 0x3A,
                      ByteScan.find(0x5B, in: ByteScan.slice(b, f.appStart, f.appEnd)) == nil else { return .malformed }
            }
            if f.procStart >= 0 {
                guard f.procEnd - f.procStart <= 18,
                      ByteScan.parseInt(ByteScan.slice(b, f.procStart, f.procEnd)) != nil else { return .malformed }
            }
            if f.msgidStart >= 0 {
                guard f.msgidEnd - f.msgidStart <= 32, b[f.msgidEnd - 1] != 0x3A else { return .malformed }
            }
        }
        // STRUCTURED-DATA
        guard SyslogScan.at(b, j) == ByteScan.space else { return .malformed }
        j += 1
        guard j < b.count else { return .malformed }
        if b[j] == 0x2D {
            j += 1
        } else if b[j] == 0x5B {
            while j < b.count, b[j] == 0x5B {
                guard let e = sdElementEnd(b, open: j, strict: strict) else { return .malformed }
                j = e
            }
        } else {
            return .malformed
        }
        // MSG
        if j == b.count {
            f.messageStart = j
        } else if b[j] == ByteScan.space {
            var m = j + 1
            if m + 3 <= b.count, b[m] == 0xEF, b[m + 1] == 0xBB, b[m + 2] == 0xBF { m += 3 }
            f.messageStart = m
        } else {
            return .malformed
        }
        return .ok(f)
    }

    /// ` TOKEN` at `j` (one space, or any run of spaces when not `strict`): its range, (-1, -1)
    /// for the nil value `-`; `j` moves past it. Nil when there is no token.
    private static func token(_ b: UnsafeRawBufferPointer, _ j: inout Int, strict: Bool) -> (Int, Int)? {
        guard SyslogScan.at(b, j) == ByteScan.space else { return nil }
        let s = strict ? j + 1 : ByteScan.skipSpaces(b, from: j)
        let e = ByteScan.find(ByteScan.space, in: b, from: s) ?? b.count
        guard e > s else { return nil }
        j = e
        return e - s == 1 && b[s] == 0x2D ? (-1, -1) : (s, e)
    }

    /// `[SD-ID *(SP PARAM-NAME="value")]` starting at `open`: the index after `]`. Inside
    /// values `\"`, `\]` and `\\` are escapes. Nil when unterminated (or, `strict`, when the
    /// SD-ID is empty or not followed by a space or `]`).
    static func sdElementEnd(_ b: UnsafeRawBufferPointer, open: Int, strict: Bool) -> Int? {
        var k = open + 1
        let id0 = k
        while k < b.count, b[k] != ByteScan.space, b[k] != 0x5D, b[k] != 0x3D, b[k] != ByteScan.quote { k += 1 }
        if strict {
            guard k > id0, k < b.count, b[k] == ByteScan.space || b[k] == 0x5D else { return nil }
        }
        var inQuote = false
        while k < b.count {
            let c = b[k]
            if inQuote {
                if c == ByteScan.backslash { k += 2; continue }
                if c == ByteScan.quote { inQuote = false }
            } else {
                if c == ByteScan.quote { inQuote = true }
                else if c == 0x5D { return k + 1 }
            }
            k += 1
        }
        return nil
    }
}
