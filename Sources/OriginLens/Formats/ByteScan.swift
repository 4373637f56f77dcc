import Foundation
import CZlib

/// Small byte-level helpers shared by the parsers. All work on borrowed
/// `UnsafeRawBufferPointer`s and never allocate unless they say so.
public enum ByteScan {
    public static let space: UInt8 = 0x20
    public static let tab: UInt8 = 0x09
    public static let quote: UInt8 = 0x22
    public static let backslash: UInt8 = 0x5C

    /// Index of the first `byte` at or after `from`, or nil.
    @inlinable
    public static func find(_ byte: UInt8, in buf: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        guard from < buf.count, let base = buf.baseAddress else { return nil }
        guard let p = memchr(base + from, Int32(byte), buf.count - from) else { return nil }
        return UnsafeRawPointer(p) - base
    }

    /// Index of the first occurrence of `needle` at or after `from`, or nil.
    @inlinable
    public static func find(_ needle: UnsafeRawBufferPointer, in buf: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        guard needle.count > 0 else { return from <= buf.count ? from : nil }
        guard from < buf.count, let base = buf.baseAddress, let nb = needle.baseAddress else { return nil }
        guard let p = ol_memmem(base + from, buf.count - from, nb, needle.count) else { return nil }
        return UnsafeRawPointer(p) - base
    }

    /// Index of the first occurrence of an ASCII literal at or after `from`, or nil.
    @inlinable
    public static func find(_ literal: StaticString, in buf: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        find(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount), in: buf, from: from)
    }

    /// True when `buf` contains the literal.
    @inlinable
    public static func contains(_ literal: StaticString, in buf: UnsafeRawBufferPointer) -> Bool {
        find(literal, in: buf) != nil
    }

    /// True when `buf[at...]` starts with the literal.
    @inlinable
    public static func hasPrefix(_ literal: StaticString, in buf: UnsafeRawBufferPointer, at: Int = 0) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard at >= 0, at + n <= buf.count else { return false }
        if n == 0 { return true }
        return memcmp(buf.baseAddress! + at, literal.utf8Start, n) == 0
    }

    /// A sub-slice `[from, to)`, clamped.
    @inlinable
    public static func slice(_ buf: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
        let a = max(0, min(from, buf.count)), b = max(a, min(to, buf.count))
        return UnsafeRawBufferPointer(rebasing: buf[a..<b])
    }

    /// A `ByteField` over `[from, to)` of `buf`.
    @inlinable
    public static func field(_ buf: UnsafeRawBufferPointer, _ from: Int, _ to: Int, encoding: ByteField.Encoding = .raw) -> ByteField {
        ByteField(slice(buf, from, to), encoding: encoding)
    }

    /// Parses an optionally signed decimal integer filling the whole slice. Nil when empty,
    /// not all digits, or more than 18 digits.
    @inlinable
    public static func parseInt(_ buf: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        var negative = false
        if buf.count > 0 && buf[0] == 0x2D { negative = true; i = 1 }
        guard i < buf.count, buf.count - i <= 18 else { return nil }
        var v = 0
        while i < buf.count {
            let d = Int(buf[i]) &- 48
            if d < 0 || d > 9 { return nil }
            v = v &* 10 &+ d
            i += 1
        }
        return negative ? -v : v
    }

    /// Parses exactly `n` ASCII digits at `at`; nil when any is not a digit or out of bounds.
    @inlinable
    public static func digits(_ buf: UnsafeRawBufferPointer, at: Int, count n: Int) -> Int? {
        guard at >= 0, at + n <= buf.count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            let d = Int(buf[i]) &- 48
            if d < 0 || d > 9 { return nil }
            v = v * 10 + d
        }
        return v
    }

    /// Reads a run of digits starting at `at`; returns the value and the index after the run.
    @inlinable
    public static func digitRun(_ buf: UnsafeRawBufferPointer, at: Int, max maxDigits: Int = 18) -> (value: Int, end: Int)? {
        var i = at
        var v = 0
        while i < buf.count, i - at < maxDigits {
            let d = Int(buf[i]) &- 48
            if d < 0 || d > 9 { break }
            v = v * 10 + d
            i += 1
        }
        return i == at ? nil : (v, i)
    }

    /// Reads the digits of a fractional second starting at `at` (after the `.` or `,`): all
    /// consecutive digits are consumed, the first six give microseconds. Nil when there is no
    /// digit.
    @inlinable
    public static func fraction(_ buf: UnsafeRawBufferPointer, at: Int) -> (us: Int64, end: Int)? {
        var i = at
        var us: Int64 = 0
        var scale: Int64 = 100_000
        while i < buf.count {
            let d = buf[i] &- 0x30
            if d > 9 { break }
            us += Int64(d) * scale
            scale /= 10
            i += 1
        }
        return i > at ? (us, i) : nil
    }

    /// English month abbreviation (`Jan` … `Dec`, case-sensitive first capital, rest lower) at `at`.
    @inlinable
    public static func month(_ buf: UnsafeRawBufferPointer, at: Int) -> Int? {
        guard at >= 0, at + 3 <= buf.count else { return nil }
        let a = buf[at], b = buf[at + 1], c = buf[at + 2]
        switch (a, b, c) {
        case (0x4A, 0x61, 0x6E): return 1   // Jan
        case (0x46, 0x65, 0x62): return 2   // Feb
        case (0x4D, 0x61, 0x72): return 3   // Mar
        case (0x41, 0x70, 0x72): return 4   // Apr
        case (0x4D, 0x61, 0x79): return 5   // May
        case (0x4A, 0x75, 0x6E): return 6   // Jun
        case (0x4A, 0x75, 0x6C): return 7   // Jul
        case (0x41, 0x75, 0x67): return 8   // Aug
        case (0x53, 0x65, 0x70): return 9   // Sep
        case (0x4F, 0x63, 0x74): return 10  // Oct
        case (0x4E, 0x6F, 0x76): return 11  // Nov
        case (0x44, 0x65, 0x63): return 12  // Dec
        default: return nil
        }
    }

    /// True for `Mon` … `Sun` at `at`.
    @inlinable
    public static func isWeekday(_ buf: UnsafeRawBufferPointer, at: Int) -> Bool {
        guard at >= 0, at + 3 <= buf.count else { return false }
        switch (buf[at], buf[at + 1], buf[at + 2]) {
        case (0x4D, 0x6F, 0x6E), (0x54, 0x75, 0x65), (0x57, 0x65, 0x64), (0x54, 0x68, 0x75),
             (0x46, 0x72, 0x69), (0x53, 0x61, 0x74), (0x53, 0x75, 0x6E): return true
        default: return false
        }
    }

    /// Index of the first byte that is not a space or tab at or after `from`.
    @inlinable
    public static func skipSpaces(_ buf: UnsafeRawBufferPointer, from: Int) -> Int {
        var i = from
        while i < buf.count, buf[i] == space || buf[i] == tab { i += 1 }
        return i
    }

    /// True when every byte is a space, tab or CR.
    @inlinable
    public static func isBlank(_ buf: UnsafeRawBufferPointer) -> Bool {
        for b in buf where b != space && b != tab && b != 0x0D { return false }
        return true
    }

    /// Given `buf[at] == "`, returns the index of the closing quote of a JSON string, honouring
    /// backslash escapes, and whether any escape was seen. Nil when unterminated.
    @inlinable
    public static func jsonStringEnd(_ buf: UnsafeRawBufferPointer, openQuote at: Int) -> (end: Int, escaped: Bool)? {
        var i = at + 1
        var escaped = false
        guard let base = buf.baseAddress else { return nil }
        while i < buf.count {
            // Jump to the next quote or backslash.
            guard let q = memchr(base + i, Int32(quote), buf.count - i) else { return nil }
            let qi = UnsafeRawPointer(q) - base
            // Any backslash between i and qi?
            if let bs = memchr(base + i, Int32(backslash), qi - i) {
                let bi = UnsafeRawPointer(bs) - base
                escaped = true
                i = bi + 2
                continue
            }
            return (qi, escaped)
        }
        return nil
    }

    // MARK: - Decoders (allocate; used only for fields that are kept)

    /// Decodes the inside of a JSON string literal. Invalid escapes are kept as they are.
    public static func unescapeJSON(_ buf: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(buf.count)
        var i = 0
        var pendingHigh: UInt32? = nil
        func appendScalar(_ v: UInt32, into out: inout [UInt8]) {
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        while i < buf.count {
            let b = buf[i]
            if b != backslash || i + 1 >= buf.count {
                if let h = pendingHigh { appendScalar(0xFFFD, into: &out); _ = h; pendingHigh = nil }
                out.append(b); i += 1; continue
            }
            let e = buf[i + 1]
            switch e {
            case 0x22: out.append(0x22); i += 2
            case 0x5C: out.append(0x5C); i += 2
            case 0x2F: out.append(0x2F); i += 2
            case 0x62: out.append(0x08); i += 2
            case 0x66: out.append(0x0C); i += 2
            case 0x6E: out.append(0x0A); i += 2
            case 0x72: out.append(0x0D); i += 2
            case 0x74: out.append(0x09); i += 2
            case 0x75:
                if i + 6 <= buf.count, let v = hexValue(buf, at: i + 2, count: 4) {
                    let u = UInt32(v)
                    if u >= 0xD800 && u < 0xDC00 {
                        pendingHigh = u
                    } else if u >= 0xDC00 && u < 0xE000, let h = pendingHigh {
                        appendScalar(0x10000 + ((h - 0xD800) << 10) + (u - 0xDC00), into: &out)
                        pendingHigh = nil
                    } else {
                        if pendingHigh != nil { appendScalar(0xFFFD, into: &out); pendingHigh = nil }
                        appendScalar(u, into: &out)
                    }
                    i += 6
                } else {
                    out.append(b); i += 1
                }
            default:
                out.append(b); i += 1
            }
        }
        if pendingHigh != nil { appendScalar(0xFFFD, into: &out) }
        return out
    }

    /// Decodes `27,91,48` (the inside of a JSON array of byte numbers). Non-numbers are skipped.
    public static func decodeByteArray(_ buf: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        var v = -1
        for b in buf {
            if b >= 0x30 && b <= 0x39 {
                v = (v < 0 ? 0 : v) * 10 + Int(b - 0x30)
                if v > 255 { v = 255 }
            } else {
                if v >= 0 { out.append(UInt8(v)) }
                v = -1
            }
        }
        if v >= 0 { out.append(UInt8(v)) }
        return out
    }

    /// Decodes `%XX` escapes; malformed escapes are kept.
    public static func percentDecode(_ buf: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(buf.count)
        var i = 0
        while i < buf.count {
            if buf[i] == 0x25, i + 2 < buf.count + 0, i + 3 <= buf.count, let v = hexValue(buf, at: i + 1, count: 2) {
                out.append(UInt8(v)); i += 3
            } else {
                out.append(buf[i]); i += 1
            }
        }
        return out
    }

    /// Parses `count` hex digits at `at`.
    @inlinable
    public static func hexValue(_ buf: UnsafeRawBufferPointer, at: Int, count: Int) -> Int? {
        guard at >= 0, at + count <= buf.count else { return nil }
        var v = 0
        for i in at..<(at + count) {
            let c = buf[i]
            let d: Int
            switch c {
            case 0x30...0x39: d = Int(c - 0x30)
            case 0x41...0x46: d = Int(c - 0x41 + 10)
            case 0x61...0x66: d = Int(c - 0x61 + 10)
            default: return nil
            }
            v = v * 16 + d
        }
        return v
    }
}

extension UnsafeRawBufferPointer {
    /// Convenience for tests and cold paths: run `body` over the UTF-8 bytes of a string.
    @inlinable
    public static func withBytes<R>(of s: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var s = s
        return try s.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
