/// An IPv4 or IPv6 address as numbers, parsed from the bytes of a log field.
///
/// IPv4-mapped IPv6 addresses (`::ffff:162.158.1.2`, `::ffff:a29e:102`) are stored as `.v4`, so
/// that one CIDR list matches both spellings.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    /// High and low 64 bits, network order (`2606:4700::` → hi `0x2606_4700_0000_0000`).
    case v6(UInt64, UInt64)

    /// Parses an address from text: IPv4 dotted quad, IPv6 (with `::` compression, groups of
    /// 1–4 hex digits, an embedded dotted IPv4 tail), optional `%zone`, optional brackets
    /// (`[2606:4700::1]`, also `[2606:4700::1]:443`). Surrounding spaces are ignored.
    /// Returns nil for anything else; never traps.
    public static func parse(_ text: UnsafeRawBufferPointer) -> IPAddress? {
        guard let raw = parseRaw(text) else { return nil }
        return raw
    }

    /// Parses a `String` (cold path convenience).
    public init?(_ text: String) {
        guard let a = UnsafeRawBufferPointer.withBytes(of: text, { IPAddress.parse($0) }) else { return nil }
        self = a
    }

    /// `.v4` for IPv4-mapped IPv6 values, else unchanged.
    static func mapped(hi: UInt64, lo: UInt64) -> IPAddress {
        if hi == 0 && (lo >> 32) == 0xFFFF { return .v4(UInt32(truncatingIfNeeded: lo)) }
        return .v6(hi, lo)
    }

    /// Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6.
    public var description: String {
        switch self {
        case .v4(let v):
            return "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF).\(v & 0xFF)"
        case .v6(let hi, let lo):
            var groups = [UInt16]()
            for i in 0..<4 { groups.append(UInt16(truncatingIfNeeded: hi >> (48 - 16 * UInt64(i)))) }
            for i in 0..<4 { groups.append(UInt16(truncatingIfNeeded: lo >> (48 - 16 * UInt64(i)))) }
            // Longest run of zero groups (length >= 2) is compressed.
            var bestStart = -1, bestLen = 0, i = 0
            while i < 8 {
                if groups[i] == 0 {
                    var j = i
                    while j < 8 && groups[j] == 0 { j += 1 }
                    if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                    i = j
                } else { i += 1 }
            }
            func hex(_ g: UInt16) -> String { String(g, radix: 16) }
            if bestStart < 0 { return groups.map(hex).joined(separator: ":") }
            let head = groups[0..<bestStart].map(hex).joined(separator: ":")
            let tail = groups[(bestStart + bestLen)...].map(hex).joined(separator: ":")
            return head + "::" + tail
        }
    }

    // MARK: - Parsing

    static func parseRaw(_ text: UnsafeRawBufferPointer, mapV4: Bool = true) -> IPAddress? {
        var start = 0, end = text.count
        while start < end && (text[start] == 0x20 || text[start] == 0x09) { start += 1 }
        while end > start && (text[end - 1] == 0x20 || text[end - 1] == 0x09) { end -= 1 }
        guard end > start else { return nil }
        if text[start] == 0x5B {  // [
            guard let close = ByteScan.find(0x5D, in: text, from: start + 1), close < end else { return nil }
            start += 1; end = close
        }
        // Zone id: `fe80::1%eth0`.
        if let pct = ByteScan.find(0x25, in: ByteScan.slice(text, start, end)) { end = start + pct }
        guard end > start else { return nil }
        let s = ByteScan.slice(text, start, end)
        if ByteScan.find(0x3A, in: s) != nil {
            guard let (hi, lo) = parseV6(s) else { return nil }
            return mapV4 ? mapped(hi: hi, lo: lo) : .v6(hi, lo)
        }
        guard let v = parseV4(s, from: 0) else { return nil }
        return .v4(v)
    }

    /// Dotted quad filling `s[from...]`; decimal parts 0…255 with up to 3 digits.
    static func parseV4(_ s: UnsafeRawBufferPointer, from: Int) -> UInt32? {
        var value: UInt32 = 0
        var i = from
        for part in 0..<4 {
            if part > 0 {
                guard i < s.count, s[i] == 0x2E else { return nil }
                i += 1
            }
            var n = 0, digits = 0
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39, digits < 4 {
                n = n * 10 + Int(s[i] - 0x30); i += 1; digits += 1
            }
            guard digits >= 1, digits <= 3, n <= 255 else { return nil }
            value = value << 8 | UInt32(n)
        }
        return i == s.count ? value : nil
    }

    /// IPv6 text filling `s` (no brackets, no zone).
    static func parseV6(_ s: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        var groups = SIMD8<UInt16>()
        var count = 0
        var gap = -1          // index in `groups` where `::` stands
        var i = 0
        let n = s.count
        if n >= 2 && s[0] == 0x3A && s[1] == 0x3A {
            gap = 0; i = 2
            if i == n { return (0, 0) }
        } else if n >= 1 && s[0] == 0x3A {
            return nil
        }
        while i < n {
            // One group, or an embedded IPv4 tail.
            var v = 0, digits = 0
            let groupStart = i
            while i < n, let h = hexDigit(s[i]) {
                v = v * 16 + h; i += 1; digits += 1
                if digits > 4 { return nil }
            }
            if i < n && s[i] == 0x2E {
                // Dotted IPv4 tail: needs room for two groups and must end the text.
                guard count <= 6, let v4 = parseV4(s, from: groupStart) else { return nil }
                groups[count] = UInt16(v4 >> 16); groups[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                i = n
                break
            }
            guard digits >= 1, count < 8 else { return nil }
            groups[count] = UInt16(v); count += 1
            if i == n { break }
            guard s[i] == 0x3A else { return nil }
            i += 1
            if i < n && s[i] == 0x3A {
                guard gap < 0 else { return nil }   // a second `::`
                gap = count; i += 1
                if i == n { break }
            } else if i == n {
                return nil   // trailing single colon
            }
        }
        if gap >= 0 {
            guard count < 8 else { return nil }
            let shift = 8 - count
            var out = SIMD8<UInt16>()
            for k in 0..<gap { out[k] = groups[k] }
            for k in gap..<count { out[k + shift] = groups[k] }
            groups = out
        } else {
            guard count == 8 else { return nil }
        }
        var hi: UInt64 = 0, lo: UInt64 = 0
        for k in 0..<4 { hi = hi << 16 | UInt64(groups[k]) }
        for k in 4..<8 { lo = lo << 16 | UInt64(groups[k]) }
        return (hi, lo)
    }

    @inline(__always)
    static func hexDigit(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }
}
