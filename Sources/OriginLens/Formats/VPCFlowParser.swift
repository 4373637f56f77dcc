/// AWS VPC Flow Logs in the text form delivered to S3 or CloudWatch Logs.
///
/// Default (version 2) format, space separated, `-` for a missing value:
///
///     version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
///     2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
///
/// - A header line of field names (S3 delivery writes one at the top of each object; at least
///   two known names, every token shaped like a field name) is `.header` and sets the column
///   map, so custom formats (`${vpc-id} ${srcaddr} …`) are read by name. Without a header the
///   default 14 columns are assumed. A line that does not fit the layout (column count, a
///   non-numeric `version`, a `log-status` other than OK/NODATA/SKIPDATA) is `.malformed`, or
///   `.unrecognized` when there is no header and its first token is not a version number.
/// - Time: `start` (unix seconds, UTC) → microseconds; `end` when the format has no `start`;
///   `OriginRecord.noTime` when the value is `-`.
/// - Records are `.origin` with `implied = .vpcFlow`, empty `ident`, and `message` = the whole
///   record line (rules look for `REJECT`, the destination port, CDN source addresses). Use
///   `value(_:in:)` to read a column by name whatever the layout.
/// - `NODATA` and `SKIPDATA` records (no traffic / flows not captured during the interval) are
///   valid records and are parsed like the others (action `-`).
/// - `severity`: REJECT 4 (warning), ACCEPT 6 (info), NODATA 7 (debug), SKIPDATA 4 (capture
///   lost), -1 otherwise.
/// - A CloudWatch Logs export prefixes each record with the ingestion time
///   (`2024-01-15T10:23:45.000Z 2 123456789010 eni-…`); that token is skipped and `message`
///   starts at the record.
public struct VPCFlowParser: LineParser {
    public static let format: LogFormat = .vpcFlow

    /// Columns the parser and the rules care about.
    public enum Column: Int, CaseIterable, Sendable {
        case version, accountID, interfaceID, srcaddr, dstaddr, srcport, dstport, proto
        case packets, bytes, start, end, action, logStatus

        /// The field name in the flow-log format and in the S3 header.
        public var name: StaticString {
            switch self {
            case .version: return "version"
            case .accountID: return "account-id"
            case .interfaceID: return "interface-id"
            case .srcaddr: return "srcaddr"
            case .dstaddr: return "dstaddr"
            case .srcport: return "srcport"
            case .dstport: return "dstport"
            case .proto: return "protocol"
            case .packets: return "packets"
            case .bytes: return "bytes"
            case .start: return "start"
            case .end: return "end"
            case .action: return "action"
            case .logStatus: return "log-status"
            }
        }
    }

    /// Position of each `Column` in the current layout (-1 when absent).
    public private(set) var columnIndex: [Int] = Column.allCases.map { $0.rawValue }
    /// Number of columns of the current layout.
    public private(set) var columnCount = 14
    /// True once a header line set the layout.
    public private(set) var hasHeader = false

    public init(context: ParseContext) {}

    // MARK: - Sniffing

    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        if knownHeaderNames(line) >= 3 { return 3 }
        let r = recordStart(line)
        var count = 0
        var tok: [Range<Int>] = []
        tok.reserveCapacity(4)
        var last = 0..<0
        var sawAction = false
        forEachToken(line, from: r) { k, a, b in
            count += 1
            if k < 3 { tok.append(a..<b) }
            if OriginText.equals(line, a, b, "ACCEPT") || OriginText.equals(line, a, b, "REJECT") { sawAction = true }
            last = a..<b
        }
        let status = ByteScan.slice(line, last.lowerBound, last.upperBound)
        let statusOK = statusSeverity(status) != nil
        if count == 14, tok.count == 3, statusOK,
           ByteScan.parseInt(ByteScan.slice(line, tok[0].lowerBound, tok[0].upperBound)) != nil,
           ByteScan.hasPrefix("eni-", in: line, at: tok[2].lowerBound) || line[tok[2].lowerBound] == 0x2D {
            return 3
        }
        return statusOK && sawAction && count >= 4 ? 1 : 0
    }

    // MARK: - Parsing

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if ByteScan.isBlank(line) { return .skip(.blank) }
        if OriginText.isComment(line) { return .skip(.decoration) }
        if isHeader(line) {
            setLayout(line)
            return .skip(.header)
        }
        let r = Self.recordStart(line)
        let startCol = columnIndex[Column.start.rawValue] >= 0 ? columnIndex[Column.start.rawValue] : columnIndex[Column.end.rawValue]
        let actionCol = columnIndex[Column.action.rawValue]
        let statusCol = columnIndex[Column.logStatus.rawValue]
        var count = 0
        var time = 0..<0
        var action = 0..<0
        var status = 0..<0
        var first = 0..<0
        var version = 0..<0
        let versionIdx = columnIndex[Column.version.rawValue]
        Self.forEachToken(line, from: r) { k, a, b in
            count += 1
            if k == 0 { first = a..<b }
            if k == versionIdx { version = a..<b }
            if k == startCol { time = a..<b }
            if k == actionCol { action = a..<b }
            if k == statusCol { status = a..<b }
        }
        // Without a header the line must look like a default-format record; with one, a line
        // that does not fit the layout is broken.
        let versionCol = columnIndex[Column.version.rawValue]
        var fits = count == columnCount
        if fits, versionCol >= 0 {
            let v = ByteScan.slice(line, version.lowerBound, version.upperBound)
            fits = ByteScan.parseInt(v) != nil || (v.count == 1 && v[0] == 0x2D)
        }
        if fits, statusCol >= 0 {
            let st = ByteScan.slice(line, status.lowerBound, status.upperBound)
            fits = Self.statusSeverity(st) != nil || (st.count == 1 && st[0] == 0x2D)
        }
        guard fits else {
            if hasHeader { return .skip(.malformed) }
            let numericFirst = ByteScan.parseInt(ByteScan.slice(line, first.lowerBound, first.upperBound)) != nil
            return numericFirst ? .skip(.malformed) : .skip(.unrecognized)
        }
        var timeUs = OriginRecord.noTime
        if startCol >= 0 {
            let t = ByteScan.slice(line, time.lowerBound, time.upperBound)
            if !(t.count == 1 && t[0] == 0x2D) {
                guard let secs = ByteScan.parseInt(t), secs >= 0, secs <= 253_402_300_799 else { return .skip(.badTimestamp) }
                timeUs = Int64(secs) * 1_000_000
            }
        }
        var rec = OriginRecord(timeUs: timeUs)
        rec.implied = .vpcFlow
        rec.message = ByteScan.field(line, r, line.count)
        let act = ByteScan.slice(line, action.lowerBound, action.upperBound)
        if actionCol >= 0, OriginText.equals(act, 0, act.count, "REJECT") {
            rec.severity = 4
        } else if actionCol >= 0, OriginText.equals(act, 0, act.count, "ACCEPT") {
            rec.severity = 6
        } else if statusCol >= 0, let s = Self.statusSeverity(ByteScan.slice(line, status.lowerBound, status.upperBound)), s >= 0 {
            rec.severity = s
        }
        return .origin(rec)
    }

    /// The value of `column` in a record line of the current layout (`.empty` when the layout
    /// has no such column or the line is shorter). Cold path: tokenises the line again.
    public func value(_ column: Column, in line: UnsafeRawBufferPointer) -> ByteField {
        let want = columnIndex[column.rawValue]
        guard want >= 0 else { return .empty }
        var out = ByteField.empty
        Self.forEachToken(line, from: Self.recordStart(line)) { k, a, b in
            if k == want { out = ByteScan.field(line, a, b) }
        }
        return out
    }

    // MARK: - Pieces

    /// Calls `body(index, start, end)` for each space-separated token from `from`.
    private static func forEachToken(_ line: UnsafeRawBufferPointer, from: Int, _ body: (Int, Int, Int) -> Void) {
        let n = line.count
        var i = from
        var k = 0
        while i < n {
            while i < n, line[i] == ByteScan.space || line[i] == ByteScan.tab { i += 1 }
            if i >= n { break }
            let a = i
            while i < n, line[i] != ByteScan.space, line[i] != ByteScan.tab { i += 1 }
            body(k, a, i)
            k += 1
        }
    }

    /// Index of the record after an optional CloudWatch export time (`2024-01-15T10:23:45.000Z `).
    private static func recordStart(_ line: UnsafeRawBufferPointer) -> Int {
        guard line.count > 21, OriginText.dateTimeShape(line, at: 0) == 0x2D, line[10] == 0x54,
              let p = CivilTime.parseISO(line, at: 0), p.hadZone, p.end < line.count, line[p.end] == ByteScan.space
        else { return 0 }
        return p.end + 1
    }

    private static func statusSeverity(_ s: UnsafeRawBufferPointer) -> Int? {
        if OriginText.equals(s, 0, s.count, "OK") { return -1 }
        if OriginText.equals(s, 0, s.count, "NODATA") { return 7 }
        if OriginText.equals(s, 0, s.count, "SKIPDATA") { return 4 }
        return nil
    }

    /// How many tokens of the line are default-format field names; 0 when some token is not a
    /// field-name-like word (`[a-z][a-z0-9-]*`).
    private static func knownHeaderNames(_ line: UnsafeRawBufferPointer) -> Int {
        var known = 0
        var ok = true
        forEachToken(line, from: 0) { _, a, b in
            guard ok else { return }
            guard OriginText.isLower(line[a]) else { ok = false; return }
            for j in a..<b {
                let c = line[j]
                if !(OriginText.isLower(c) || OriginText.isDigit(c) || c == 0x2D) { ok = false; return }
            }
            for col in Column.allCases where OriginText.equals(line, a, b, col.name) { known += 1; break }
        }
        return ok ? known : 0
    }

    private func isHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        line.count > 0 && OriginText.isLower(line[0]) && Self.knownHeaderNames(line) >= 2
    }

    private mutating func setLayout(_ line: UnsafeRawBufferPointer) {
        var idx = [Int](repeating: -1, count: Column.allCases.count)
        var count = 0
        Self.forEachToken(line, from: 0) { k, a, b in
            count += 1
            for col in Column.allCases where OriginText.equals(line, a, b, col.name) {
                if idx[col.rawValue] < 0 { idx[col.rawValue] = k }
                break
            }
        }
        columnIndex = idx
        columnCount = count
        hasHeader = true
    }
}
