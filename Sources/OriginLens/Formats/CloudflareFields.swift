import Foundation

/// The Logpush `http_requests` fields OriginLens reads (reference §1.3), shared by the NDJSON and
/// CSV parsers. Every other field is skipped without being decoded.
enum CloudflareField: UInt8 {
    case none = 0
    case edgeStartTimestamp, edgeEndTimestamp, edgeResponseStatus, originResponseStatus
    case clientRequestHost, edgeColoCode, clientRequestScheme, originIP, clientRequestPath
    case clientRequestURI, clientRequestMethod, rayID, clientIP, edgeServerIP, sampleInterval

    /// Matches a field name (the raw bytes of a JSON key or CSV header cell): a switch on the
    /// length and the first byte, then a comparison eight bytes at a time with each candidate.
    @inline(__always)
    static func match(_ p: UnsafeRawPointer, _ n: Int) -> CloudflareField {
        /// `n` bytes at `p` equal `s` (whose length is `n`, at least 8: the last word overlaps).
        @inline(__always) func eq(_ s: StaticString) -> Bool {
            let q = UnsafeRawPointer(s.utf8Start)
            var k = 0
            while k &+ 8 <= n {
                if p.loadUnaligned(fromByteOffset: k, as: UInt64.self) != q.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
                k &+= 8
            }
            if k == n { return true }
            return p.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == q.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        }
        guard n >= 5 else { return .none }
        let b0 = p.load(fromByteOffset: 0, as: UInt8.self)
        switch n {
        case 5:
            return b0 == 0x52 && memcmp(p, ("RayID" as StaticString).utf8Start, 5) == 0 ? .rayID : .none
        case 8:
            if b0 == 0x43 { return eq("ClientIP") ? .clientIP : .none }
            if b0 == 0x4F { return eq("OriginIP") ? .originIP : .none }
            return .none
        case 12:
            guard b0 == 0x45 else { return .none }
            if eq("EdgeColoCode") { return .edgeColoCode }
            if eq("EdgeServerIP") { return .edgeServerIP }
            return .none
        case 14:
            return b0 == 0x53 && eq("SampleInterval") ? .sampleInterval : .none
        case 16:
            if b0 == 0x45 { return eq("EdgeEndTimestamp") ? .edgeEndTimestamp : .none }
            if b0 == 0x43 { return eq("ClientRequestURI") ? .clientRequestURI : .none }
            return .none
        case 17:
            guard b0 == 0x43 else { return .none }
            if eq("ClientRequestHost") { return .clientRequestHost }
            if eq("ClientRequestPath") { return .clientRequestPath }
            return .none
        case 18:
            guard b0 == 0x45 else { return .none }
            if eq("EdgeStartTimestamp") { return .edgeStartTimestamp }
            if eq("EdgeResponseStatus") { return .edgeResponseStatus }
            return .none
        case 19:
            guard b0 == 0x43 else { return .none }
            if eq("ClientRequestScheme") { return .clientRequestScheme }
            if eq("ClientRequestMethod") { return .clientRequestMethod }
            return .none
        case 20:
            return b0 == 0x4F && eq("OriginResponseStatus") ? .originResponseStatus : .none
        default:
            return .none
        }
    }

    static func match(_ buf: UnsafeRawBufferPointer) -> CloudflareField {
        guard let p = buf.baseAddress, buf.count > 0 else { return .none }
        return match(p, buf.count)
    }
}

/// Logpush timestamps in every `timestamp_format`: `unixnano` (19-digit integer), `unix`
/// (seconds), and RFC 3339 strings (`2024-01-15T10:23:45Z`, with or without a fraction).
enum CloudflareTime {
    /// UTC microseconds from the bytes of a timestamp value (a bare JSON/CSV number or the inside
    /// of a string). Integers are read as Int64 (never through a Double); the unit follows from
    /// the number of integer digits: ≤ 11 seconds, 12–14 ms, 15–17 µs, 18–19 ns. Nil when the
    /// value is not a timestamp.
    @inline(__always)
    static func parse(_ v: UnsafeRawBufferPointer) -> Int64? {
        let n = v.count
        guard n > 0 else { return nil }
        if n >= 19, v[4] == 0x2D {
            guard let r = CivilTime.parseISO(v, at: 0) else { return nil }
            return r.us
        }
        return epoch(v)
    }

    /// A decimal epoch number with an optional `.fraction` (fraction honoured for seconds only).
    static func epoch(_ v: UnsafeRawBufferPointer) -> Int64? {
        let n = v.count
        var i = 0
        var value: Int64 = 0
        // Up to 18 digits cannot overflow; the checked loop below takes the 19th (and refuses a 20th).
        while i < n && i < 18 {
            let d = v[i] &- 0x30
            if d > 9 { break }
            value = value &* 10 &+ Int64(d)
            i &+= 1
        }
        while i < n {
            let d = v[i] &- 0x30
            if d > 9 { break }
            if i >= 19 { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        let digits = i
        guard digits > 0 else { return nil }
        var fracUs: Int64 = 0
        if i < n {
            guard v[i] == 0x2E else { return nil }
            i += 1
            var scale: Int64 = 100_000
            let start = i
            while i < n {
                let d = v[i] &- 0x30
                if d > 9 { return nil }
                fracUs += Int64(d) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        switch digits {
        case ...11:
            return value * 1_000_000 + fracUs
        case 12...14:
            return value * 1_000
        case 15...17:
            return value
        default:
            return value / 1_000
        }
    }
}

/// Small helpers shared by the edge/access parsers.
enum EdgeText {
    /// `line` without a leading UTF-8 byte-order mark (editors and Windows tools put one at the
    /// start of a file; the first line would otherwise not parse).
    @inline(__always)
    static func droppingBOM(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            return UnsafeRawBufferPointer(rebasing: line[3...])
        }
        return line
    }
}
