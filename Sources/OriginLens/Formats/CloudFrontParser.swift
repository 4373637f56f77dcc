import Foundation

/// Amazon CloudFront standard ("legacy") access logs, W3C extended format (reference §3.2).
///
/// - `#Version:` and other `#` directives → `.header`; `#Fields:` (also `.header`) defines the
///   column map, so any field set and order parses, including RTMP distribution logs.
/// - Without a `#Fields:` line (headers stripped by a shipper) the documented 33-field order is
///   assumed.
/// - Columns are tab-separated. A line without any tab is split on runs of spaces instead (the
///   AWS documentation examples lost their tabs in copy-and-paste); in that mode a trailing
///   U+200B zero-width space, another copy-and-paste remnant, is dropped from each value.
/// - `date` + `time` are UTC (the time the edge finished the response). `-` means empty.
/// - `sc-status` `000` (viewer left before a response) and `-` read as 0. When the field set has
///   no `sc-status` column at all (RTMP streaming logs carry `x-cf-status` such as `OK`
///   instead), the record still parses with status 0 = "no HTTP status logged": it counts as
///   traffic but never as an error. A present but non-numeric `sc-status` is `.malformed`.
/// - Mapped: `x-edge-location` → colo (its first 3 letters: `FRA56-P1` → `FRA`),
///   `x-host-header` (else `cs(Host)`) → host, `cs-uri-stem` → path, `cs-method` → method,
///   `cs-protocol` → scheme, `x-edge-request-id` → requestID, `c-ip` → clientIP,
///   `x-edge-detailed-result-type` → detail (`OriginConnectError`). Values holding `%` are
///   marked `.percent` (CloudFront URL-encodes values).
public struct CloudFrontParser: LineParser {
    public static let format: LogFormat = .cloudfront

    enum Column: UInt8 {
        case none, date, time, edgeLocation, clientIP, method, csHost, uriStem, status, requestID
        case hostHeader, proto, detailedResult
    }

    /// The 33 documented fields, in order (reference §3.2).
    static let defaultFields = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end"

    private var columns: [Column]
    private var lastNeeded: Int
    /// Index of `sc-status`, -1 when the field set has none.
    private var statusColumn: Int

    public init(context: ParseContext) {
        let m = Self.defaultFields.utf8.withContiguousStorageIfAvailable { Self.columnMap(UnsafeRawBufferPointer($0)) }
            ?? Self.columnMap(UnsafeRawBufferPointer(start: nil, count: 0))
        columns = m
        lastNeeded = m.lastIndex(where: { $0 != .none }) ?? -1
        statusColumn = m.firstIndex(of: .status) ?? -1
    }

    static func column(named name: UnsafeRawBufferPointer) -> Column {
        @inline(__always) func eq(_ s: StaticString) -> Bool {
            s.utf8CodeUnitCount == name.count && memcmp(name.baseAddress!, s.utf8Start, name.count) == 0
        }
        guard name.count > 0 else { return .none }
        if eq("date") { return .date }
        if eq("time") { return .time }
        if eq("x-edge-location") { return .edgeLocation }
        if eq("c-ip") { return .clientIP }
        if eq("cs-method") { return .method }
        if eq("cs(Host)") { return .csHost }
        if eq("cs-uri-stem") { return .uriStem }
        if eq("sc-status") { return .status }
        if eq("x-edge-request-id") { return .requestID }
        if eq("x-host-header") { return .hostHeader }
        if eq("cs-protocol") { return .proto }
        if eq("x-edge-detailed-result-type") { return .detailedResult }
        return .none
    }

    /// Column map from a space-separated list of W3C field names (the text after `#Fields:`).
    /// U+200B remnants around names are dropped.
    static func columnMap(_ names: UnsafeRawBufferPointer) -> [Column] {
        var out: [Column] = []
        var i = 0
        let n = names.count
        while i < n {
            while i < n, names[i] == 0x20 || names[i] == 0x09 { i += 1 }
            if i >= n { break }
            var e = i
            while e < n, names[e] != 0x20, names[e] != 0x09 { e += 1 }
            let (s, t) = trimZWSP(names, i, e)
            if t > s { out.append(column(named: ByteScan.slice(names, s, t))) }
            i = e
        }
        return out
    }

    /// Drops leading/trailing U+200B (E2 80 8B) from `[s, e)`.
    @inline(__always)
    static func trimZWSP(_ b: UnsafeRawBufferPointer, _ s0: Int, _ e0: Int) -> (Int, Int) {
        var s = s0, e = e0
        while e - s >= 3, b[e - 3] == 0xE2, b[e - 2] == 0x80, b[e - 1] == 0x8B { e -= 3 }
        while e - s >= 3, b[s] == 0xE2, b[s + 1] == 0x80, b[s + 2] == 0x8B { s += 3 }
        return (s, e)
    }

    /// True when `YYYY-MM-DD` then a separator then `HH:MM:SS` starts the line; returns the
    /// index after the time.
    static func leadingDateTime(_ line: UnsafeRawBufferPointer) -> (sep: UInt8, end: Int)? {
        guard line.count >= 19, ByteScan.digits(line, at: 0, count: 4) != nil, line[4] == 0x2D,
              ByteScan.digits(line, at: 5, count: 2) != nil, line[7] == 0x2D,
              ByteScan.digits(line, at: 8, count: 2) != nil else { return nil }
        let sep = line[10]
        var i = 10
        if sep == 0x09 { i = 11 } else if sep == 0x20 {
            while i < line.count, line[i] == 0x20 { i += 1 }
        } else { return nil }
        guard i + 8 <= line.count, ByteScan.digits(line, at: i, count: 2) != nil, line[i + 2] == 0x3A,
              ByteScan.digits(line, at: i + 3, count: 2) != nil, line[i + 5] == 0x3A,
              ByteScan.digits(line, at: i + 6, count: 2) != nil else { return nil }
        return (sep, i + 8)
    }

    /// 3 for a `#Fields:` line naming `x-edge-location` or a tab-separated data line with a date,
    /// a time and at least 12 more columns; 2 for a shorter tab-separated one; 1 for `#Version:`
    /// and for a space-separated date/time line with 10+ columns; 0 otherwise.
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        let line = EdgeText.droppingBOM(line)
        if ByteScan.hasPrefix("#Fields:", in: line) {
            return ByteScan.contains("x-edge-location", in: line) ? 3 : 0
        }
        if ByteScan.hasPrefix("#Version:", in: line) { return 1 }
        guard let dt = leadingDateTime(line) else { return 0 }
        if dt.sep == 0x09 {
            var tabs = 0
            for b in line where b == 0x09 { tabs += 1 }
            return tabs >= 14 ? 3 : (tabs >= 6 ? 2 : 0)
        }
        // Space-separated: count runs of 2+ spaces (the damaged documentation layout).
        var runs = 0
        var i = 0
        while i < line.count {
            if line[i] == 0x20, i + 1 < line.count, line[i + 1] == 0x20 {
                runs += 1
                while i < line.count, line[i] == 0x20 { i += 1 }
            } else { i += 1 }
        }
        return runs >= 10 ? 1 : 0
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        let line = EdgeText.droppingBOM(line)
        guard let p = line.baseAddress, line.count > 0 else { return .skip(.blank) }
        let n = line.count
        if line[0] == 0x23 {   // `#`
            if ByteScan.hasPrefix("#Fields:", in: line) {
                let m = Self.columnMap(ByteScan.slice(line, 8, n))
                if !m.isEmpty {
                    columns = m
                    lastNeeded = m.lastIndex(where: { $0 != .none }) ?? -1
                    statusColumn = m.firstIndex(of: .status) ?? -1
                }
            }
            return .skip(.header)
        }
        if ByteScan.isBlank(line) { return .skip(.blank) }

        let tabbed = memchr(p, 0x09, n) != nil
        var date = ByteField.empty, time = ByteField.empty
        var statusF = ByteField.empty
        var csHost = ByteField.empty
        var rec = EdgeRecord(timeUs: 0, status: 0)
        var col = 0
        var i = 0
        while col <= lastNeeded, i <= n {
            var e: Int
            var next: Int
            if tabbed {
                if let q = memchr(p + i, 0x09, n - i) { e = UnsafeRawPointer(q) - p } else { e = n }
                next = e + 1
            } else {
                e = i
                while e < n, line[e] != 0x20 { e += 1 }
                next = e
                while next < n, line[next] == 0x20 { next += 1 }
                if next == n { next = n + 1 }
            }
            var s = i
            if !tabbed { (s, e) = Self.trimZWSP(line, i, e) }
            let role = col < columns.count ? columns[col] : .none
            if role != .none, !(e - s == 1 && line[s] == 0x2D) {   // `-` = empty
                var f = ByteField(base: p + s, count: e - s)
                if e > s, memchr(p + s, 0x25, e - s) != nil { f.encoding = .percent }
                switch role {
                case .date: date = f
                case .time: time = f
                case .edgeLocation:
                    rec.colo = f
                    if f.count > 3 { rec.colo.count = 3 }
                case .clientIP: rec.clientIP = f
                case .method: rec.method = f
                case .csHost: csHost = f
                case .uriStem: rec.path = f
                case .status: statusF = f
                case .requestID: rec.requestID = f
                case .hostHeader: rec.host = f
                case .proto: rec.scheme = f
                case .detailedResult: rec.detail = f
                case .none: break
                }
            }
            col += 1
            i = next
        }
        // Not a CloudFront record at all when the first columns are not a date.
        if col < 2 || date.isEmpty || date.raw[0] < 0x30 || date.raw[0] > 0x39 { return .skip(.unrecognized) }

        // Time: `YYYY-MM-DD` + `HH:MM:SS`, UTC.
        let d = date.raw, t = time.raw
        guard date.count == 10, time.count >= 8,
              let y = ByteScan.digits(d, at: 0, count: 4), d[4] == 0x2D,
              let mo = ByteScan.digits(d, at: 5, count: 2), d[7] == 0x2D,
              let dd = ByteScan.digits(d, at: 8, count: 2),
              let h = ByteScan.digits(t, at: 0, count: 2), t[2] == 0x3A,
              let mi = ByteScan.digits(t, at: 3, count: 2), t[5] == 0x3A,
              let sec = ByteScan.digits(t, at: 6, count: 2),
              let secs = CivilTime.seconds(year: y, month: mo, day: dd, hour: h, minute: mi, second: sec)
        else { return .skip(.badTimestamp) }
        var us = secs * 1_000_000
        if time.count > 9, t[8] == 0x2E {   // tolerate `HH:MM:SS.fff`
            var scale: Int64 = 100_000
            for k in 9..<time.count {
                let c = t[k] &- 0x30
                guard c <= 9 else { return .skip(.badTimestamp) }
                us += Int64(c) * scale
                scale /= 10
            }
        } else if time.count != 8 {
            return .skip(.badTimestamp)
        }
        rec.timeUs = us

        if statusColumn >= 0 {
            // A line that ends before its `sc-status` column is truncated.
            guard col > statusColumn else { return .skip(.malformed) }
        }
        if !statusF.isEmpty {
            guard let st = statusF.intValue, st >= 0 else { return .skip(.malformed) }
            rec.status = st
        }
        if rec.host.isEmpty { rec.host = csHost }
        return .edge(rec)
    }
}
