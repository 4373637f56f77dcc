import Foundation

/// Cloudflare Logpush `http_requests` records as CSV (`output_type: csv`, reference §1.1/§1.4):
/// strings double-quoted (a `"` inside written `""`), numbers bare, timestamps as bare integers
/// (`unixnano`, `unix`) or quoted RFC 3339 strings. A tab `field_delimiter` (TSV) is recognised
/// from the header.
///
/// **A header row is required.** Logpush writes CSV without a header unless the job's
/// `batch_prefix` adds one, and the column order is the job's `field_names` list, which the data
/// does not reveal: `"203.0.113.7",1705314225123000000,521,0,…` could be any selection of
/// fields. Guessing would silently put a client IP where a host belongs, so until a header row
/// (`ClientIP,EdgeStartTimestamp,EdgeResponseStatus,…`) has been seen every data line is counted
/// as `.malformed`. Add the header with `batch_prefix` (or prepend it to the files).
///
/// Column mapping is the NDJSON parser's (`CloudflareField`). A later header row (concatenated
/// batches) replaces the mapping. Quoted values keep their raw bytes: a doubled `""` inside a
/// value stays doubled (no mapped field is expected to contain a quote).
public struct CloudflareCSVParser: LineParser {
    public static let format: LogFormat = .cloudflareCSV

    /// Column index → field; empty until a header row is seen.
    private var columns: [CloudflareField] = []
    /// Index of the last mapped column, to stop scanning a row early.
    private var lastNeeded = -1
    private var delimiter: UInt8 = 0x2C

    public init(context: ParseContext) {}

    /// 3 for a header row naming `EdgeStartTimestamp` or `EdgeResponseStatus`; 1 for a data row
    /// carrying a bare 19-digit (`unixnano`) value; 0 otherwise (JSON lines included).
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        let line = EdgeText.droppingBOM(line)
        guard line.count > 0, line[0] != 0x7B, line[0] != 0x5B else { return 0 }
        if let h = headerColumns(line), h.columns.contains(where: { $0 == .edgeStartTimestamp || $0 == .edgeResponseStatus }) {
            return 3
        }
        // A data row: look for a bare 19-digit field between delimiters.
        var run = 0
        var prev: UInt8 = 0x2C
        var runStartOK = false
        for b in line {
            if b >= 0x30 && b <= 0x39 {
                if run == 0 { runStartOK = prev == 0x2C || prev == 0x09 }
                run += 1
            } else {
                if run == 19 && runStartOK && (b == 0x2C || b == 0x09) { return 1 }
                run = 0
            }
            prev = b
        }
        return run == 19 && runStartOK ? 1 : 0
    }

    /// When `line` is a header row (every cell a bare or quoted identifier, at least one of them a
    /// field OriginLens reads), its column map and delimiter.
    static func headerColumns(_ line: UnsafeRawBufferPointer) -> (columns: [CloudflareField], delimiter: UInt8)? {
        let n = line.count
        guard n > 0 else { return nil }
        let delim: UInt8 = ByteScan.find(0x2C, in: line) == nil && ByteScan.find(0x09, in: line) != nil ? 0x09 : 0x2C
        var cols: [CloudflareField] = []
        var known = false
        var i = 0
        while true {
            var end = ByteScan.find(delim, in: line, from: i) ?? n
            var s = i
            var e = end
            while s < e, line[s] == 0x20 { s += 1 }
            while e > s, line[e - 1] == 0x20 { e -= 1 }
            if e - s >= 2, line[s] == 0x22, line[e - 1] == 0x22 { s += 1; e -= 1 }
            guard e > s else { return nil }
            let c0 = line[s]
            guard (c0 >= 0x41 && c0 <= 0x5A) || (c0 >= 0x61 && c0 <= 0x7A) || c0 == 0x5F else { return nil }
            for j in s..<e {
                let c = line[j]
                let ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                    || c == 0x5F
                if !ok { return nil }
            }
            let f = CloudflareField.match(ByteScan.slice(line, s, e))
            if f != .none { known = true }
            cols.append(f)
            if end >= n { break }
            end += 1
            i = end
        }
        return known ? (cols, delim) : nil
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        let line = EdgeText.droppingBOM(line)
        guard let p = line.baseAddress, line.count > 0 else { return .skip(.blank) }
        if ByteScan.isBlank(line) { return .skip(.blank) }
        let c0 = line[0]
        // A header row starts with a letter or a quoted name; data rows usually with a quote or a
        // digit. Only rows that could be a header pay for the check.
        if (c0 >= 0x41 && c0 <= 0x5A) || (c0 >= 0x61 && c0 <= 0x7A) || c0 == 0x22 || c0 == 0x5F,
           let h = Self.headerColumns(line) {
            columns = h.columns
            delimiter = h.delimiter
            lastNeeded = columns.lastIndex(where: { $0 != .none }) ?? -1
            return .skip(.header)
        }
        guard lastNeeded >= 0 else { return .skip(.malformed) }

        let n = line.count
        let delim = delimiter
        var rec = EdgeRecord(timeUs: 0, status: 0)
        var uri = ByteField.empty
        var startV = UnsafeRawBufferPointer(start: nil, count: 0), hasStart = false
        var endV = UnsafeRawBufferPointer(start: nil, count: 0), hasEnd = false
        var statusV = UnsafeRawBufferPointer(start: nil, count: 0), hasStatus = false
        var col = 0
        var i = 0
        while col <= lastNeeded {
            // One cell: [vs, ve), i moves past its delimiter.
            var vs = i, ve = i
            if i < n, line[i] == 0x22 {
                var j = i + 1
                while true {
                    guard let q = ByteScan.find(0x22, in: line, from: j) else { return .skip(.malformed) }
                    if q + 1 < n, line[q + 1] == 0x22 { j = q + 2; continue }
                    vs = i + 1; ve = q; j = q + 1
                    break
                }
                i = j
                if i < n, line[i] != delim { return .skip(.malformed) }
            } else {
                let e = ByteScan.find(delim, in: line, from: i) ?? n
                vs = i; ve = e; i = e
            }
            let atEnd = i >= n
            i += 1
            let field = col < columns.count ? columns[col] : .none
            if field != .none {
                let v = UnsafeRawBufferPointer(start: p + vs, count: ve - vs)
                let f = ByteField(v)
                switch field {
                case .edgeStartTimestamp: startV = v; hasStart = !v.isEmpty
                case .edgeEndTimestamp: endV = v; hasEnd = !v.isEmpty
                case .edgeResponseStatus: statusV = v; hasStatus = !v.isEmpty
                case .originResponseStatus: if let o = ByteScan.parseInt(v) { rec.originStatus = o }
                case .sampleInterval: if let s = ByteScan.parseInt(v), s >= 1 { rec.sampleInterval = s }
                case .clientRequestHost: rec.host = f
                case .edgeColoCode: rec.colo = f
                case .clientRequestScheme: rec.scheme = f
                case .originIP: rec.originIP = f
                case .clientRequestPath: rec.path = f
                case .clientRequestURI: uri = f
                case .clientRequestMethod: rec.method = f
                case .rayID: rec.requestID = f
                case .clientIP: rec.clientIP = f
                case .edgeServerIP: rec.edgeServerIP = f
                case .none: break
                }
            }
            col += 1
            if atEnd { break }
        }
        guard hasStatus, let status = ByteScan.parseInt(statusV), status >= 0 else { return .skip(.malformed) }
        var time: Int64? = hasStart ? CloudflareTime.parse(startV) : nil
        if time == nil, hasEnd { time = CloudflareTime.parse(endV) }
        guard let t = time else { return .skip(.badTimestamp) }
        rec.timeUs = t
        rec.status = status
        if rec.path.isEmpty { rec.path = uri }
        return .edge(rec)
    }
}
