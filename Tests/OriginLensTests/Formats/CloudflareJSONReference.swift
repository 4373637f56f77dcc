@testable import OriginLens

/// The NDJSON scanner as it was before the throughput work (issue 5), kept as the reference for
/// the differential test: the optimised `CloudflareJSONParser.parseRecord` must return the
/// same outcome, with fields at the same bytes, for every line.
enum CloudflareJSONReference {

    @inline(__always)
    static func isWS(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ i: Int) -> UInt8 { p.load(fromByteOffset: i, as: UInt8.self) }

    /// Index of the closing quote of the JSON string opened at `at`, and whether it holds an
    /// escape; nil when unterminated. Eight bytes at a time: most values are short, where this
    /// beats two `memchr` calls per string.
    @inline(__always)
    static func stringEnd(_ p: UnsafeRawPointer, _ n: Int, openQuote at: Int) -> (end: Int, escaped: Bool)? {
        var i = at + 1
        var escaped = false
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i < n {
            if i + 8 <= n {
                let w = UInt64(littleEndian: (p + i).loadUnaligned(as: UInt64.self))
                let q = w ^ 0x2222_2222_2222_2222
                let b = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let m = (((q &- ones) & ~q) | ((b &- ones) & ~b)) & highs
                if m == 0 { i += 8; continue }
                i += m.trailingZeroBitCount >> 3
            }
            let c = byte(p, i)
            if c == 0x22 { return (i, escaped) }
            if c == 0x5C { escaped = true; i += 2; continue }
            i += 1
        }
        return nil
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
                guard let s = stringEnd(p, n, openQuote: j) else { return nil }
                j = s.end + 1
                continue
            case 0x5B, 0x7B:
                depth += 1
            case 0x5D, 0x7D:
                depth -= 1
                if depth == 0 { return j + 1 }
            default:
                break
            }
            j += 1
        }
        return nil
    }

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

        i += 1  // past `{`
        while true {
            while i < n, isWS(byte(p, i)) { i += 1 }
            guard i < n else { return .skip(.malformed) }
            var c = byte(p, i)
            if c == 0x7D { break }   // `}` (empty object or after a trailing comma)
            guard c == 0x22, let k = stringEnd(p, n, openQuote: i) else { return .skip(.malformed) }
            let keyStart = i + 1
            let keyLen = k.end - keyStart
            let field: CloudflareField = (k.escaped || keyLen == 0) ? .none : CloudflareField.match(p + keyStart, keyLen)
            i = k.end + 1
            while i < n, isWS(byte(p, i)) { i += 1 }
            guard i < n, byte(p, i) == 0x3A else { return .skip(.malformed) }
            i += 1
            while i < n, isWS(byte(p, i)) { i += 1 }
            guard i < n else { return .skip(.malformed) }
            c = byte(p, i)

            // Value.
            var vStart = i, vLen = 0
            var escaped = false
            var isNull = false
            if c == 0x22 {
                guard let s = stringEnd(p, n, openQuote: i) else { return .skip(.malformed) }
                vStart = i + 1
                vLen = s.end - vStart
                escaped = s.escaped
                i = s.end + 1
            } else if c == 0x5B || c == 0x7B {
                if firstMember && field == .none && c == 0x5B {
                    // `{"events":[` batch prefix, possibly with the first record glued on.
                    var j = i + 1
                    while j < n, isWS(byte(p, j)) { j += 1 }
                    if j == n { return .skip(.header) }
                    if byte(p, j) == 0x7B {
                        return parseRecord(p + j, n - j)
                    }
                }
                guard let e = skipNested(p, n, from: i) else { return .skip(.malformed) }
                i = e
                firstMember = false
                if field != .none { found = true }
                // Needed fields are never arrays/objects: ignore such a value.
                while i < n, isWS(byte(p, i)) { i += 1 }
                guard i < n else { return .skip(.malformed) }
                if byte(p, i) == 0x2C { i += 1; continue }
                if byte(p, i) == 0x7D { break }
                return .skip(.malformed)
            } else {
                // Number, true, false, null.
                var j = i
                while j < n {
                    let b = byte(p, j)
                    if b == 0x2C || b == 0x7D || b == 0x5D || isWS(b) { break }
                    j += 1
                }
                vStart = i
                vLen = j - i
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

            while i < n, isWS(byte(p, i)) { i += 1 }
            guard i < n else { return .skip(.malformed) }
            let d = byte(p, i)
            if d == 0x2C { i += 1; continue }
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
