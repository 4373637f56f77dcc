import OriginLens

/// An append-only byte buffer with the few formatting helpers log lines need (ASCII text,
/// decimal and hex numbers, zero padding). No `String` per line on the fast path.
struct Bytes {
    var b: [UInt8] = []

    init(capacity: Int = 1 << 16) { b.reserveCapacity(capacity) }

    var count: Int { b.count }

    @inline(__always) mutating func removeAll() { b.removeAll(keepingCapacity: true) }

    @inline(__always) mutating func s(_ x: StaticString) {
        x.withUTF8Buffer { b.append(contentsOf: $0) }
    }

    @inline(__always) mutating func s(_ x: [UInt8]) { b.append(contentsOf: x) }

    @inline(__always) mutating func str(_ x: String) { b.append(contentsOf: x.utf8) }

    @inline(__always) mutating func byte(_ c: UInt8) { b.append(c) }

    @inline(__always) mutating func nl() { b.append(0x0A) }

    /// Decimal, no padding.
    @inline(__always) mutating func int(_ v: Int64) {
        if v < 0 { b.append(0x2D); uint(UInt64(-v)) } else { uint(UInt64(v)) }
    }

    @inline(__always) mutating func int(_ v: Int) { int(Int64(v)) }

    @inline(__always) mutating func uint(_ v: UInt64) {
        if v < 10 { b.append(0x30 + UInt8(v)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        var x = v
        withUnsafeMutableBytes(of: &tmp) { t in
            while x > 0 { t[n] = 0x30 + UInt8(x % 10); x /= 10; n += 1 }
            var i = n - 1
            while i >= 0 { b.append(t[i]); i -= 1 }
        }
    }

    /// Zero-padded to `width` digits (v ≥ 0).
    @inline(__always) mutating func pad(_ v: Int, _ width: Int) {
        var digits = 1, x = v
        while x >= 10 { x /= 10; digits += 1 }
        var k = width - digits
        while k > 0 { b.append(0x30); k -= 1 }
        uint(UInt64(max(0, v)))
    }

    /// Space-padded to `width` characters (syslog day of month).
    @inline(__always) mutating func spad(_ v: Int, _ width: Int) {
        var digits = 1, x = v
        while x >= 10 { x /= 10; digits += 1 }
        var k = width - digits
        while k > 0 { b.append(0x20); k -= 1 }
        uint(UInt64(max(0, v)))
    }

    /// Lower-case hex of the low `digits` nibbles of `v`, zero-padded.
    @inline(__always) mutating func hex(_ v: UInt64, digits: Int) {
        var i = digits - 1
        while i >= 0 {
            let nib = UInt8((v >> (UInt64(i) * 4)) & 0xF)
            b.append(nib < 10 ? 0x30 + nib : 0x57 + nib)
            i -= 1
        }
    }

    /// Lower-case hex without padding.
    mutating func hexMinimal(_ v: UInt64) {
        var digits = 1
        var x = v >> 4
        while x > 0 { digits += 1; x >>= 4 }
        hex(v, digits: digits)
    }

    /// JSON string contents (quotes not included): escapes `"`, `\` and control bytes.
    mutating func jsonEscaped(_ x: [UInt8]) {
        for c in x {
            switch c {
            case 0x22: b.append(0x5C); b.append(0x22)
            case 0x5C: b.append(0x5C); b.append(0x5C)
            case 0..<0x20:
                s("\\u00"); hex(UInt64(c), digits: 2)
            default: b.append(c)
            }
        }
    }
}

/// Month abbreviations, as log formats print them.
let monthNames: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/// Broken-down wall-clock time of an instant in some offset.
struct Civil {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(seconds: Int64, offset: Int = 0) {
        let local = seconds + Int64(offset)
        var days = local / 86400
        var rem = local % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        let c = CivilTime.civilFromDays(Int(days))
        year = c.year; month = c.month; day = c.day
        hour = Int(rem / 3600); minute = Int(rem % 3600 / 60); second = Int(rem % 60)
    }
}

/// UTC seconds of a civil UTC time.
func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int64 {
    CivilTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)!
}

/// Seconds → microseconds.
@inline(__always) func us(_ s: Int64) -> Int64 { s * 1_000_000 }
