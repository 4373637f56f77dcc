/// Byte shapes shared by the origin text parsers (nginx and Apache error logs, php-fpm,
/// fail2ban): level names, comment lines, and the first bytes of other formats' records, so
/// that a parser does not swallow a foreign line as a continuation of its own previous record
/// (mixed files are handed to the other parsers only when the chosen one says `.unrecognized`).
enum OriginText {
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    @inline(__always)
    static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }

    @inline(__always)
    static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }

    /// True when `buf[from..<to]` equals the ASCII literal.
    @inline(__always)
    static func equals(_ buf: UnsafeRawBufferPointer, _ from: Int, _ to: Int, _ literal: StaticString) -> Bool {
        to - from == literal.utf8CodeUnitCount && ByteScan.hasPrefix(literal, in: buf, at: from)
    }

    /// Syslog severity of an nginx / Apache level word (`emerg` … `debug`, Apache's
    /// `trace1`…`trace8` count as debug) in `buf[from..<to]`; -1 when it is not one.
    static func lowercaseLevel(_ buf: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Int {
        switch to - from {
        case 4:
            if equals(buf, from, to, "crit") { return 2 }
            if equals(buf, from, to, "warn") { return 4 }
            if equals(buf, from, to, "info") { return 6 }
            return -1
        case 5:
            if equals(buf, from, to, "emerg") { return 0 }
            if equals(buf, from, to, "alert") { return 1 }
            if equals(buf, from, to, "error") { return 3 }
            if equals(buf, from, to, "debug") { return 7 }
            return -1
        case 6:
            if equals(buf, from, to, "notice") { return 5 }
            if ByteScan.hasPrefix("trace", in: buf, at: from), isDigit(buf[from + 5]) { return 7 }
            return -1
        case 7: return equals(buf, from, to, "warning") ? 4 : -1
        default: return -1
        }
    }

    /// A `#` comment line (test annotations such as fail2ban's `# failJSON: …`). `#` followed
    /// by a digit is not a comment: it is a stack-trace frame (`#0 /var/www/index.php(12): …`).
    static func isComment(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 0, line[0] == 0x23 else { return false }
        return line.count == 1 || !isDigit(line[1])
    }

    /// True when the line starts with whitespace or is a stack frame (`#0 …`): the typical
    /// shape of a continuation line.
    static func looksIndentedOrFrame(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 0 else { return false }
        let c = line[0]
        if c == ByteScan.space || c == ByteScan.tab { return true }
        return c == 0x23 && line.count > 1 && isDigit(line[1])
    }

    /// `YYYY/MM/DD HH:MM:SS` (nginx) or `YYYY-MM-DD[T ]HH:MM` (ISO, fail2ban, RFC 5424 without
    /// PRI, rsyslog file format) at `at`: the separator used (`/` or `-`), or nil.
    static func dateTimeShape(_ line: UnsafeRawBufferPointer, at i: Int) -> UInt8? {
        guard i >= 0, i + 16 <= line.count else { return nil }
        let sep = line[i + 4]
        guard sep == 0x2F || sep == 0x2D, line[i + 7] == sep,
              ByteScan.digits(line, at: i, count: 4) != nil,
              ByteScan.digits(line, at: i + 5, count: 2) != nil,
              ByteScan.digits(line, at: i + 8, count: 2) != nil,
              line[i + 10] == ByteScan.space || line[i + 10] == 0x54,
              ByteScan.digits(line, at: i + 11, count: 2) != nil, line[i + 13] == 0x3A,
              ByteScan.digits(line, at: i + 14, count: 2) != nil
        else { return nil }
        return sep
    }

    /// `AHnnnnn:` at `at` (an Apache message code).
    static func isApacheCode(_ line: UnsafeRawBufferPointer, at i: Int) -> Bool {
        i + 8 <= line.count && line[i] == 0x41 && line[i + 1] == 0x48 &&
            ByteScan.digits(line, at: i + 2, count: 5) != nil && line[i + 7] == 0x3A
    }

    /// True when the line starts like a record of some log format (a timestamp of any layout
    /// this tool reads, a syslog `<PRI>`, a JSON object, an Apache `AHnnnnn:` startup line,
    /// nginx's `nginx: [level]` stderr form, an access-log line). Parsers use it to tell a
    /// foreign line (`.unrecognized`, so the pipeline can try the other parsers) from a
    /// continuation of their own previous record.
    static func looksLikeRecordStart(_ line: UnsafeRawBufferPointer) -> Bool {
        let n = line.count
        guard n >= 4 else { return false }
        let c0 = line[0]
        switch c0 {
        case 0x7B: // {
            return true
        case 0x3C: // <PRI>
            var i = 1
            while i < n, i < 5, isDigit(line[i]) { i += 1 }
            return i > 1 && i < n && line[i] == 0x3E
        case 0x5B: // [
            // Apache `[Mon Jan 15 …`
            if ByteScan.isWeekday(line, at: 1), n > 8, line[4] == ByteScan.space, ByteScan.month(line, at: 5) != nil { return true }
            // php-fpm / PHP `[15-Jan-2024 …`
            if n > 12, ByteScan.digits(line, at: 1, count: 2) != nil, line[3] == 0x2D,
               ByteScan.month(line, at: 4) != nil, line[7] == 0x2D { return true }
            // kernel ring buffer `[12345.678901] `
            var i = 1
            while i < n, line[i] == ByteScan.space { i += 1 }
            let d0 = i
            while i < n, isDigit(line[i]) { i += 1 }
            if i > d0, i + 8 <= n, line[i] == 0x2E, ByteScan.digits(line, at: i + 1, count: 6) != nil, line[i + 7] == 0x5D { return true }
            return false
        case 0x28: // (98)Address already in use: AH00072: …
            guard let close = ByteScan.find(0x29, in: ByteScan.slice(line, 0, 24)) else { return false }
            guard close > 1 else { return false }
            return ByteScan.find(": AH", in: ByteScan.slice(line, close, 240)) != nil
        default:
            break
        }
        if isDigit(c0), dateTimeShape(line, at: 0) != nil { return true }
        if isApacheCode(line, at: 0) { return true }
        if ByteScan.hasPrefix("nginx: [", in: line) { return true }
        // RFC 3164 / journalctl short: `Jan 15 10:23:45` or `Jan  5 10:23:45`.
        if ByteScan.month(line, at: 0) != nil, line[3] == ByteScan.space {
            var i = 4
            if i < n, line[i] == ByteScan.space { i += 1 }
            let d0 = i
            while i < n, i - d0 < 2, isDigit(line[i]) { i += 1 }
            if i > d0, i + 3 < n, line[i] == ByteScan.space, ByteScan.digits(line, at: i + 1, count: 2) != nil, line[i + 3] == 0x3A {
                return true
            }
        }
        // Access log: `HOST … [15/Jan/2024:10:23:45 +0100] "…`
        let head = ByteScan.slice(line, 0, 200)
        var from = 0
        while let b = ByteScan.find(" [", in: head, from: from) {
            let i = b + 2
            if i + 12 <= head.count, ByteScan.digits(head, at: i, count: 2) != nil, head[i + 2] == 0x2F,
               ByteScan.month(head, at: i + 3) != nil, head[i + 6] == 0x2F,
               ByteScan.digits(head, at: i + 7, count: 4) != nil, head[i + 11] == 0x3A {
                return true
            }
            from = b + 2
        }
        return false
    }
}
