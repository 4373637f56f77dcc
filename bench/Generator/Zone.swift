import Foundation

/// The origin server's local zone: the UTC offset at any instant (DST-aware), cached per hour
/// so that formatting millions of lines stays cheap.
struct Zone {
    let name: String
    private let tz: TimeZone
    private var cacheHour: Int64 = Int64.min
    private var cacheOffset = 0

    init(_ name: String) throws {
        guard let tz = name == "UTC" ? TimeZone(identifier: "UTC") : TimeZone(identifier: name) else {
            throw GenError("unknown time zone '\(name)'")
        }
        self.name = name
        self.tz = tz
    }

    /// Offset east of UTC, in seconds, at a UTC instant (seconds).
    mutating func offset(_ seconds: Int64) -> Int {
        let h = seconds >= 0 ? seconds / 3600 : (seconds - 3599) / 3600
        if h != cacheHour {
            cacheHour = h
            cacheOffset = tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(h * 3600)))
        }
        return cacheOffset
    }

    /// UTC seconds of a local wall-clock time (the earlier instant when ambiguous).
    func utcSeconds(localYear y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> Int64 {
        let wall = utc(y, mo, d, h, mi, s)
        var z = self
        let o1 = z.offset(wall - 14 * 3600)
        let o2 = z.offset(wall + 14 * 3600)
        for o in [o1, o2] where z.offset(wall - Int64(o)) == o { return wall - Int64(o) }
        return wall - Int64(o1)
    }
}

struct GenError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Timestamp layouts of the formats the generator writes (reference §0).
extension Bytes {
    /// `2026-03-12T05:41:07Z`
    mutating func rfc3339(_ seconds: Int64) {
        let c = Civil(seconds: seconds)
        pad(c.year, 4); byte(0x2D); pad(c.month, 2); byte(0x2D); pad(c.day, 2); byte(0x54)
        pad(c.hour, 2); byte(0x3A); pad(c.minute, 2); byte(0x3A); pad(c.second, 2); byte(0x5A)
    }

    /// nginx error log: `2026/03/12 06:41:07` (local, no offset).
    mutating func nginxTime(_ seconds: Int64, offset: Int) {
        let c = Civil(seconds: seconds, offset: offset)
        pad(c.year, 4); byte(0x2F); pad(c.month, 2); byte(0x2F); pad(c.day, 2); byte(0x20)
        pad(c.hour, 2); byte(0x3A); pad(c.minute, 2); byte(0x3A); pad(c.second, 2)
    }

    /// Access log `$time_local`: `[12/Mar/2026:06:41:07 +0100]`.
    mutating func accessTime(_ seconds: Int64, offset: Int) {
        let c = Civil(seconds: seconds, offset: offset)
        byte(0x5B); pad(c.day, 2); byte(0x2F); s(monthNames[c.month - 1]); byte(0x2F); pad(c.year, 4)
        byte(0x3A); pad(c.hour, 2); byte(0x3A); pad(c.minute, 2); byte(0x3A); pad(c.second, 2)
        byte(0x20); byte(offset < 0 ? 0x2D : 0x2B)
        let a = abs(offset)
        pad(a / 3600, 2); pad(a % 3600 / 60, 2); byte(0x5D)
    }

    /// RFC 3164 / rsyslog traditional: `Mar  2 06:41:07` (day space-padded, no year, local).
    mutating func syslogTime(_ seconds: Int64, offset: Int) {
        let c = Civil(seconds: seconds, offset: offset)
        s(monthNames[c.month - 1]); byte(0x20); spad(c.day, 2); byte(0x20)
        pad(c.hour, 2); byte(0x3A); pad(c.minute, 2); byte(0x3A); pad(c.second, 2)
    }

    /// php-fpm: `[12-Mar-2026 06:41:07]`.
    mutating func phpFpmTime(_ seconds: Int64, offset: Int) {
        let c = Civil(seconds: seconds, offset: offset)
        byte(0x5B); pad(c.day, 2); byte(0x2D); s(monthNames[c.month - 1]); byte(0x2D); pad(c.year, 4)
        byte(0x20); pad(c.hour, 2); byte(0x3A); pad(c.minute, 2); byte(0x3A); pad(c.second, 2); byte(0x5D)
    }

    /// Logpush object names: `20260312T054107Z`.
    mutating func compactUTC(_ seconds: Int64) {
        let c = Civil(seconds: seconds)
        pad(c.year, 4); pad(c.month, 2); pad(c.day, 2); byte(0x54)
        pad(c.hour, 2); pad(c.minute, 2); pad(c.second, 2); byte(0x5A)
    }
}

/// Human-readable UTC instant for summaries and READMEs: `2026-03-12 05:41:07 UTC`.
func utcText(_ seconds: Int64) -> String {
    let c = Civil(seconds: seconds)
    var b = Bytes(capacity: 32)
    b.pad(c.year, 4); b.byte(0x2D); b.pad(c.month, 2); b.byte(0x2D); b.pad(c.day, 2); b.byte(0x20)
    b.pad(c.hour, 2); b.byte(0x3A); b.pad(c.minute, 2); b.byte(0x3A); b.pad(c.second, 2)
    return String(decoding: b.b, as: UTF8.self) + " UTC"
}

/// Local wall-clock text with its offset: `2026-03-12 06:41:07 +01:00`.
func localText(_ seconds: Int64, zone: inout Zone) -> String {
    let off = zone.offset(seconds)
    let c = Civil(seconds: seconds, offset: off)
    var b = Bytes(capacity: 40)
    b.pad(c.year, 4); b.byte(0x2D); b.pad(c.month, 2); b.byte(0x2D); b.pad(c.day, 2); b.byte(0x20)
    b.pad(c.hour, 2); b.byte(0x3A); b.pad(c.minute, 2); b.byte(0x3A); b.pad(c.second, 2)
    b.byte(0x20); b.byte(off < 0 ? 0x2D : 0x2B)
    b.pad(abs(off) / 3600, 2); b.byte(0x3A); b.pad(abs(off) % 3600 / 60, 2)
    return String(decoding: b.b, as: UTF8.self)
}
