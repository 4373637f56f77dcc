/// nginx `error_log` lines (log-formats reference §4):
///
///     YYYY/MM/DD HH:MM:SS [level] PID#TID: [*CONN ]MESSAGE
///
/// - Time is the server's local wall clock without offset, read in the `--tz` zone
///   (`ParseContext.localToUTC`), one-second resolution.
/// - `severity` comes from the level (emerg 0 … debug 7), `pid` from `PID#TID`.
/// - `message` is the text after `PID#TID: ` **and after the connection number** `*N `: it
///   starts with the event text (`connect() failed (111: …`). The connection number is not
///   kept (it counts connections, not requests).
/// - `implied` is `.nginx`.
/// - Lines without a timestamp that follow a record are `.continuation` (nginx writes the
///   stderr of a FastCGI backend as it is, so a `FastCGI sent in stderr: "PHP message: …`
///   record continues over several physical lines), unless they look like the start of another
///   format's record (then `.unrecognized`, so that the pipeline can try the other parsers).
/// - nginx's stderr form (`nginx: [emerg] bind() to 0.0.0.0:80 failed …`, `nginx: configuration
///   file /etc/nginx/nginx.conf test failed`), which reaches the journal at startup, is an
///   origin record with `timeUs = OriginRecord.noTime` (the pipeline uses the time of the line
///   before it); its severity comes from the bracket (`test failed` counts as error, `syntax is
///   ok` / `test is successful` as info).
/// - Journal-style copies with a `HOST IDENT[PID]: ` prefix and no syslog time (`host
///   nginx[983478]: 2023/12/09 21:35:20 [error] …`, as fail2ban test files keep them) are read
///   after the prefix: `hostname` and `ident` come from the prefix.
/// - `#` comment lines (test annotations) are `.decoration`.
public struct NginxErrorParser: LineParser {
    public static let format: LogFormat = .nginxError

    private var context: ParseContext
    /// UTC time of the previous timestamped record (DST overlap hint).
    private var previousUTC: Int64 = Int64.min
    /// True once a record has been read: timestamp-less lines after it are continuations.
    private var inRecord = false

    public init(context: ParseContext) {
        self.context = context
    }

    // MARK: - Sniffing

    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        if OriginText.dateTimeShape(line, at: 0) == 0x2F {
            return bodyShapeOK(line, at: 19) ? 3 : 1
        }
        if ByteScan.hasPrefix("nginx: [", in: line) {
            return stderrLevelOK(line, at: 7) ? 2 : 0
        }
        if ByteScan.hasPrefix("nginx: configuration file ", in: line) || ByteScan.hasPrefix("nginx: the configuration file ", in: line) {
            return 2
        }
        if !OriginText.looksLikeRecordStart(line), prefixedBodyStart(line) != nil { return 2 }
        return 0
    }

    /// ` [level] digits#digits: ` at `i`.
    private static func bodyShapeOK(_ line: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i + 3 < line.count, line[i] == ByteScan.space, line[i + 1] == 0x5B,
              let close = ByteScan.find(0x5D, in: ByteScan.slice(line, 0, i + 12), from: i + 2),
              OriginText.lowercaseLevel(line, i + 2, close) >= 0,
              close + 1 < line.count, line[close + 1] == ByteScan.space,
              let pid = ByteScan.digitRun(line, at: close + 2, max: 12),
              pid.end < line.count, line[pid.end] == 0x23
        else { return false }
        return true
    }

    private static func stderrLevelOK(_ line: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i < line.count, line[i] == 0x5B,
              let close = ByteScan.find(0x5D, in: ByteScan.slice(line, 0, i + 8), from: i + 1)
        else { return false }
        return OriginText.lowercaseLevel(line, i + 1, close) >= 0
    }

    /// For `HOST IDENT[PID]: [HOST IDENT: ]YYYY/MM/DD [level] PID#…` (or `IDENT[PID]: …`):
    /// the index of the timestamp.
    private static func prefixedBodyStart(_ line: UnsafeRawBufferPointer) -> Int? {
        guard line.count > 24, !OriginText.isDigit(line[0]), line[0] != ByteScan.space else { return nil }
        let head = ByteScan.slice(line, 0, 200)
        // The first segment is `IDENT[PID]` or `HOST IDENT[PID]`.
        guard let c0 = ByteScan.find(": ", in: head), c0 > 2, line[c0 - 1] == 0x5D else { return nil }
        if let sp = ByteScan.find(ByteScan.space, in: ByteScan.slice(line, 0, c0)),
           ByteScan.find(ByteScan.space, in: ByteScan.slice(line, 0, c0), from: sp + 1) != nil { return nil }
        var from = 0
        var hops = 0
        while hops < 3, let c = ByteScan.find(": ", in: head, from: from) {
            if OriginText.dateTimeShape(line, at: c + 2) == 0x2F {
                return bodyShapeOK(line, at: c + 21) ? c + 2 : nil
            }
            from = c + 2
            hops += 1
        }
        return nil
    }

    // MARK: - Parsing

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if ByteScan.isBlank(line) { return .skip(.blank) }
        if OriginText.dateTimeShape(line, at: 0) == 0x2F {
            inRecord = true
            return parseRecord(line, at: 0)
        }
        if ByteScan.hasPrefix("nginx: ", in: line) {
            inRecord = true
            return parseStderr(line, at: 7)
        }
        if OriginText.isComment(line) { return .skip(.decoration) }
        if OriginText.looksLikeRecordStart(line) { return .skip(.unrecognized) }
        if let p = Self.prefixedBodyStart(line) {
            inRecord = true
            let outcome = parseRecord(line, at: p)
            guard case .origin(var rec) = outcome else { return outcome }
            Self.readPrefix(line, upTo: p, into: &rec)
            return .origin(rec)
        }
        return inRecord ? .skip(.continuation) : .skip(.unrecognized)
    }

    /// Parses `YYYY/MM/DD HH:MM:SS [level] PID#TID: [*N ]MESSAGE` starting at `at`.
    private mutating func parseRecord(_ line: UnsafeRawBufferPointer, at s: Int) -> ParseOutcome {
        guard let y = ByteScan.digits(line, at: s, count: 4),
              let mo = ByteScan.digits(line, at: s + 5, count: 2),
              let d = ByteScan.digits(line, at: s + 8, count: 2),
              let h = ByteScan.digits(line, at: s + 11, count: 2),
              let mi = ByteScan.digits(line, at: s + 14, count: 2),
              s + 19 <= line.count, line[s + 16] == 0x3A,
              let sec = ByteScan.digits(line, at: s + 17, count: 2)
        else { return .skip(.badTimestamp) }
        guard let secs = CivilTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: sec) else {
            return .skip(.badTimestamp)
        }
        // ` [level] `
        var i = s + 19
        let n = line.count
        guard i + 2 < n, line[i] == ByteScan.space, line[i + 1] == 0x5B,
              let close = ByteScan.find(0x5D, in: ByteScan.slice(line, 0, i + 12), from: i + 2),
              close + 1 < n, line[close + 1] == ByteScan.space
        else { return .skip(.malformed) }
        let severity = OriginText.lowercaseLevel(line, i + 2, close)
        guard severity >= 0 else { return .skip(.malformed) }
        // `PID#TID: `
        i = close + 2
        guard let pid = ByteScan.digitRun(line, at: i, max: 12), pid.end < n, line[pid.end] == 0x23 else {
            return .skip(.malformed)
        }
        i = pid.end + 1
        let tidStart = i
        while i < n, i - tidStart <= 20, OriginText.isDigit(line[i]) { i += 1 }
        guard i > tidStart, i < n, line[i] == 0x3A else { return .skip(.malformed) }
        i += 1
        if i < n, line[i] == ByteScan.space { i += 1 }
        // `*N ` connection number.
        if i < n, line[i] == 0x2A {
            var j = i + 1
            while j < n, OriginText.isDigit(line[j]) { j += 1 }
            if j > i + 1, j < n, line[j] == ByteScan.space { i = j + 1 }
            else if j > i + 1, j == n { i = n }
        }
        let utc = context.localToUTC(secs * 1_000_000, hint: previousUTC)
        previousUTC = utc
        var rec = OriginRecord(timeUs: utc)
        rec.implied = .nginx
        rec.pid = pid.value
        rec.severity = severity
        rec.message = ByteScan.field(line, i, n)
        return .origin(rec)
    }

    /// `nginx: [level] MESSAGE` or `nginx: configuration file … test failed`, from after `nginx: `.
    private func parseStderr(_ line: UnsafeRawBufferPointer, at s: Int) -> ParseOutcome {
        let n = line.count
        var rec = OriginRecord(timeUs: OriginRecord.noTime)
        rec.implied = .nginx
        var i = s
        if i < n, line[i] == 0x5B,
           let close = ByteScan.find(0x5D, in: ByteScan.slice(line, 0, i + 8), from: i + 1) {
            let sev = OriginText.lowercaseLevel(line, i + 1, close)
            if sev >= 0 {
                rec.severity = sev
                i = close + 1
                if i < n, line[i] == ByteScan.space { i += 1 }
            }
        } else {
            let rest = ByteScan.slice(line, s, n)
            if ByteScan.contains("test failed", in: rest) {
                rec.severity = 3
            } else if ByteScan.contains("syntax is ok", in: rest) || ByteScan.contains("test is successful", in: rest) {
                rec.severity = 6
            }
        }
        rec.message = ByteScan.field(line, i, n)
        return .origin(rec)
    }

    /// Fills `hostname`/`ident` from a `HOST IDENT[PID]: ` (or `IDENT[PID]: `) prefix that ends
    /// before `end`.
    private static func readPrefix(_ line: UnsafeRawBufferPointer, upTo end: Int, into rec: inout OriginRecord) {
        guard let colon = ByteScan.find(": ", in: ByteScan.slice(line, 0, end)) else { return }
        let head = ByteScan.slice(line, 0, colon)
        var identStart = 0
        if let sp = ByteScan.find(ByteScan.space, in: head) {
            // At most one space: HOST IDENT.
            guard ByteScan.find(ByteScan.space, in: head, from: sp + 1) == nil, sp > 0 else { return }
            rec.hostname = ByteScan.field(line, 0, sp)
            identStart = sp + 1
        }
        var identEnd = colon
        if let br = ByteScan.find(0x5B, in: head, from: identStart) { identEnd = br }
        if identEnd > identStart { rec.ident = ByteScan.field(line, identStart, identEnd) }
    }
}
