import Foundation

/// Cloudflare Logpush `http_requests` records as NDJSON (reference §1): one JSON object per line,
/// fields in any order, any subset of fields (the job's `field_names`), timestamps in every
/// `timestamp_format` (`unixnano`, `unix`, `rfc3339`).
///
/// This is the hot path (hundreds of GB of Logpush): one pass over the bytes, the key of each
/// top-level member is compared against the needed names (`CloudflareField.match`: length switch
/// plus `memcmp`), every other value is skipped without being decoded (strings with a
/// word-at-a-time scan for `"`/`\`, nested arrays/objects by bracket depth). No allocation per
/// line; string fields point into the line (`.jsonString` encoding when they hold escapes).
///
/// Batch wrappers (`batch_prefix`/`batch_suffix`, `record_delimiter`): a line that is only `[`,
/// `]`, `]}`, `{"events":[` … is a `.header`; a record line with a leading `[`/`,` or a trailing
/// `,`/`]` still parses, and so does a first record glued to its prefix (`{"events":[{…},`).
///
/// Skips: no `EdgeResponseStatus` (or not a number) → `.malformed`; no readable
/// `EdgeStartTimestamp` nor `EdgeEndTimestamp` → `.badTimestamp`; truncated/broken JSON →
/// `.malformed`; an object with none of the known fields, or a line that is not JSON →
/// `.unrecognized`.
public struct CloudflareJSONParser: LineParser {
    public static let format: LogFormat = .cloudflareJSON

    public init(context: ParseContext) {}

    /// 3 for a JSON object line with a Logpush key (`"EdgeResponseStatus":`,
    /// `"EdgeStartTimestamp":`, `"ClientRequestHost":` or `"RayID":`); 0 for anything else
    /// (journal JSON, other JSON, text).
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        let line = EdgeText.droppingBOM(line)
        var i = 0
        let n = line.count
        while i < n, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x5B || line[i] == 0x2C { i += 1 }
        guard i < n, line[i] == 0x7B else { return 0 }
        if ByteScan.contains("\"EdgeResponseStatus\":", in: line)
            || ByteScan.contains("\"EdgeStartTimestamp\":", in: line)
            || ByteScan.contains("\"ClientRequestHost\":", in: line)
            || ByteScan.contains("\"RayID\":", in: line) {
            return 3
        }
        return 0
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        let line = EdgeText.droppingBOM(line)
        guard let base = line.baseAddress, line.count > 0 else { return .skip(.blank) }
        return Self.parseRecord(base, line.count)
    }

    // MARK: - Scanner

    @inline(__always)
    static func isWS(_ c: UInt8) -> Bool { c <= 0x20 && (UInt64(0x1_0000_2600) &>> UInt64(c)) & 1 != 0 }

    @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ i: Int) -> UInt8 { p.load(fromByteOffset: i, as: UInt8.self) }

    @inline(__always)
    static func skipWS(_ p: UnsafeRawPointer, _ n: Int, _ i: inout Int) {
        while i < n, isWS(byte(p, i)) { i &+= 1 }
    }

    /// Index of the first `"` at or after `from`, or nil. Sixteen bytes at a time (SSE2
    /// `pcmpeqb`/`pmovmskb`), then byte by byte for the last few bytes of the line.
    @inline(__always)
    static func firstQuote(_ p: UnsafeRawPointer, _ n: Int, from: Int) -> Int? {
        var i = from
        let quotes = SIMD16<UInt8>(repeating: 0x22)
        while i &+ 16 <= n {
            let v = p.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let eq = v .== quotes
            if any(eq) {
                let lanes = unsafeBitCast(SIMD16<UInt8>(repeating: 0).replacing(with: 0x80, where: eq), to: (UInt64, UInt64).self)
                if lanes.0 != 0 { return i &+ (lanes.0.trailingZeroBitCount &>> 3) }
                return i &+ 8 &+ (lanes.1.trailingZeroBitCount &>> 3)
            }
            i &+= 16
        }
        while i < n {
            if byte(p, i) == 0x22 { return i }
            i &+= 1
        }
        return nil
    }

    /// Index of the closing quote of the JSON string opened at `at` (the first quote not escaped
    /// by an odd run of backslashes); nil when unterminated. For strings whose escapes do not
    /// matter: keys (a key with an escape never equals a field name) and skipped values.
    @inline(__always)
    static func skipString(_ p: UnsafeRawPointer, _ n: Int, openQuote at: Int) -> Int? {
        var from = at &+ 1
        while let q = firstQuote(p, n, from: from) {
            if byte(p, q &- 1) != 0x5C { return q }
            var k = q &- 1, run = 0
            while byte(p, k) == 0x5C { run &+= 1; k &-= 1 }   // stops at the opening quote at the latest
            if run & 1 == 0 { return q }
            from = q &+ 1
        }
        return nil
    }

    /// Index of the closing quote of the JSON string opened at `at`, and whether it holds an
    /// escape; nil when unterminated. For the values that are kept.
    @inline(__always)
    static func stringEnd(_ p: UnsafeRawPointer, _ n: Int, openQuote at: Int) -> (end: Int, escaped: Bool)? {
        guard let e = skipString(p, n, openQuote: at) else { return nil }
        let start = at &+ 1
        return (e, e > start && memchr(p + start, 0x5C, e &- start) != nil)
    }

    /// Index after the array/object opened at `at` (strings inside honoured); nil when it does not
    /// close on this line.
    static func skipNested(_ p: UnsafeRawPointer, _ n: Int, from at: Int) -> Int? {
        var depth = 0
        var j = at
        while j < n {
            let c = byte(p, j)
            switch c {
            case 0x22:
                guard let s = skipString(p, n, openQuote: j) else { return nil }
                j = s &+ 1
                continue
            case 0x5B, 0x7B:
                depth += 1
            case 0x5D, 0x7D:
                depth -= 1
                if depth == 0 { return j &+ 1 }
            default:
                break
            }
            j &+= 1
        }
        return nil
    }

    /// One record line. The member loop is written for compact Logpush output (`"key":value,`
    /// with no white space): each separator is checked directly and white space is skipped only
    /// when present; strings are skipped sixteen bytes at a time. Outcomes are those of a plain
    /// member-by-member reading (kept equal by a differential test).
    static func parseRecord(_ p: UnsafeRawPointer, _ n: Int) -> ParseOutcome {
        var i = 0
        while i < n, isWS(byte(p, i)) { i += 1 }
        if i == n { return .skip(.blank) }
        // Array / record-delimiter decoration of a wrapped batch.
        while i < n, byte(p, i) == 0x5B || byte(p, i) == 0x2C || isWS(byte(p, i)) { i += 1 }
        if i == n { return .skip(.header) }
        let first = byte(p, i)
        if first == 0x5D || first == 0x7D {
            // `]`, `]}`, `}` — batch suffix.
            var j = i
            while j < n, byte(p, j) == 0x5D || byte(p, j) == 0x7D || byte(p, j) == 0x2C || isWS(byte(p, j)) { j += 1 }
            return j == n ? .skip(.header) : .skip(.unrecognized)
        }
        guard first == 0x7B else { return .skip(.unrecognized) }

        var startV: (Int, Int) = (0, -1)   // (offset, count); count -1 = absent
        var endV: (Int, Int) = (0, -1)
        var statusV: (Int, Int) = (0, -1)
        var originStatusV: (Int, Int) = (0, -1)
        var sampleV: (Int, Int) = (0, -1)
        var rec = EdgeRecord(timeUs: 0, status: 0)
        var uri = ByteField.empty
        var found = false
        var firstMember = true

        i &+= 1  // past `{`
        while true {
            // A key, or `}` (empty object or after a trailing comma).
            guard i < n else { return .skip(.malformed) }
            var c = byte(p, i)
            if c != 0x22 {
                if isWS(c) {
                    skipWS(p, n, &i)
                    guard i < n else { return .skip(.malformed) }
                    c = byte(p, i)
                }
                if c == 0x7D { break }
                guard c == 0x22 else { return .skip(.malformed) }
            }
            guard let keyEnd = skipString(p, n, openQuote: i) else { return .skip(.malformed) }
            let keyStart = i &+ 1
            let keyLen = keyEnd &- keyStart
            let field: CloudflareField = keyLen == 0 ? .none : CloudflareField.match(p + keyStart, keyLen)
            i = keyEnd &+ 1
            if i < n, byte(p, i) == 0x3A {
                i &+= 1
            } else {
                skipWS(p, n, &i)
                guard i < n, byte(p, i) == 0x3A else { return .skip(.malformed) }
                i &+= 1
            }
            guard i < n else { return .skip(.malformed) }
            c = byte(p, i)
            if isWS(c) {
                skipWS(p, n, &i)
                guard i < n else { return .skip(.malformed) }
                c = byte(p, i)
            }

            // Value.
            var vStart = i, vLen = 0
            var escaped = false
            var isNull = false
            if c == 0x22 {
                if field == .none {
                    guard let e = skipString(p, n, openQuote: i) else { return .skip(.malformed) }
                    i = e &+ 1
                } else {
                    guard let s = stringEnd(p, n, openQuote: i) else { return .skip(.malformed) }
                    vStart = i &+ 1
                    vLen = s.end &- vStart
                    escaped = s.escaped
                    i = s.end &+ 1
                }
            } else if c == 0x5B || c == 0x7B {
                if firstMember && field == .none && c == 0x5B {
                    // `{"events":[` batch prefix, possibly with the first record glued on.
                    var j = i &+ 1
                    while j < n, isWS(byte(p, j)) { j &+= 1 }
                    if j == n { return .skip(.header) }
                    if byte(p, j) == 0x7B {
                        return parseRecord(p + j, n &- j)
                    }
                }
                guard let e = skipNested(p, n, from: i) else { return .skip(.malformed) }
                i = e
                firstMember = false
                if field != .none { found = true }
                // Needed fields are never arrays/objects: ignore such a value.
                skipWS(p, n, &i)
                guard i < n else { return .skip(.malformed) }
                if byte(p, i) == 0x2C { i &+= 1; continue }
                if byte(p, i) == 0x7D { break }
                return .skip(.malformed)
            } else {
                // Number, true, false, null: up to `,` `}` `]` or white space.
                var j = i
                while j < n {
                    let b = byte(p, j)
                    if b &- 0x30 < 10 { j &+= 1; continue }
                    if b == 0x2C || b == 0x7D || b == 0x5D || isWS(b) { break }
                    j &+= 1
                }
                vStart = i
                vLen = j &- i
                if vLen == 0 { return .skip(.malformed) }
                isNull = vLen == 4 && byte(p, i) == 0x6E   // null
                i = j
            }
            firstMember = false

            if field != .none {
                found = true
                if !isNull {
                    let f = ByteField(base: p + vStart, count: vLen, encoding: escaped ? .jsonString : .raw)
                    switch field {
                    case .edgeStartTimestamp: startV = (vStart, vLen)
                    case .edgeEndTimestamp: endV = (vStart, vLen)
                    case .edgeResponseStatus: statusV = (vStart, vLen)
                    case .originResponseStatus: originStatusV = (vStart, vLen)
                    case .sampleInterval: sampleV = (vStart, vLen)
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
            }

            // `,` or `}` after the value.
            guard i < n else { return .skip(.malformed) }
            var d = byte(p, i)
            if d == 0x2C { i &+= 1; continue }
            if d == 0x7D { break }
            guard isWS(d) else { return .skip(.malformed) }
            skipWS(p, n, &i)
            guard i < n else { return .skip(.malformed) }
            d = byte(p, i)
            if d == 0x2C { i &+= 1; continue }
            if d == 0x7D { break }
            return .skip(.malformed)
        }
        // Anything after the closing brace (`,`, `]`, `]}`) is batch decoration.

        guard found else { return .skip(.unrecognized) }
        guard statusV.1 >= 0,
              let status = ByteScan.parseInt(UnsafeRawBufferPointer(start: p + statusV.0, count: statusV.1)),
              status >= 0
        else { return .skip(.malformed) }

        var time: Int64? = nil
        if startV.1 >= 0 { time = CloudflareTime.parse(UnsafeRawBufferPointer(start: p + startV.0, count: startV.1)) }
        if time == nil, endV.1 >= 0 { time = CloudflareTime.parse(UnsafeRawBufferPointer(start: p + endV.0, count: endV.1)) }
        guard let t = time else { return .skip(.badTimestamp) }

        rec.timeUs = t
        rec.status = status
        if originStatusV.1 >= 0,
           let o = ByteScan.parseInt(UnsafeRawBufferPointer(start: p + originStatusV.0, count: originStatusV.1)) {
            rec.originStatus = o
        }
        if sampleV.1 >= 0,
           let s = ByteScan.parseInt(UnsafeRawBufferPointer(start: p + sampleV.0, count: sampleV.1)), s >= 1 {
            rec.sampleInterval = s
        }
        if rec.path.isEmpty { rec.path = uri }
        return .edge(rec)
    }
}
