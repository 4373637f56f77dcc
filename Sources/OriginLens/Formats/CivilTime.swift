/// Calendar arithmetic on the proleptic Gregorian calendar without Foundation: fast enough to
/// run once per log line. All results are seconds or microseconds since 1970-01-01 as if the
/// wall clock were UTC; `LocalTimeConverter` turns local wall time into a real UTC instant.
public enum CivilTime {
    /// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil date of a day number (inverse of `daysFromCivil`).
    @inlinable
    public static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Seconds since the epoch of a wall-clock time read as UTC. Nil when a field is out of range.
    @inlinable
    public static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              (1...9999).contains(year) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
    }

    @inlinable
    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Formats UTC microseconds as RFC 3339 (`2026-11-24T10:23:45Z`, with `.ffffff` when the
    /// instant has a fraction and `fraction` is true).
    public static func rfc3339(_ us: Int64, fraction: Bool = false) -> String {
        var secs = us / 1_000_000
        var frac = us % 1_000_000
        if frac < 0 { frac += 1_000_000; secs -= 1 }
        return format(seconds: secs, offsetSeconds: 0, fractionUs: fraction && frac != 0 ? Int(frac) : nil)
    }

    /// Formats an instant in a fixed offset: `2026-11-24T11:23:45+01:00`.
    public static func format(seconds: Int64, offsetSeconds: Int, fractionUs: Int? = nil) -> String {
        let local = seconds + Int64(offsetSeconds)
        var days = local / 86400
        var rem = local % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        let (y, m, d) = civilFromDays(Int(days))
        let h = Int(rem / 3600), mi = Int(rem % 3600 / 60), s = Int(rem % 60)
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
        if let f = fractionUs { out += "." + pad(f, 6) }
        if offsetSeconds == 0 {
            out += "Z"
        } else {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let a = abs(offsetSeconds)
            out += "\(sign)\(pad(a / 3600, 2)):\(pad(a % 3600 / 60, 2))"
        }
        return out
    }

    @usableFromInline
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses an ISO 8601 / RFC 3339 timestamp at `at`: `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH:MM|±HHMM]`.
    /// Returns UTC microseconds (when the text has no zone, `zoneless` decides: nil = reject,
    /// otherwise the value is returned as wall time read as UTC and `hadZone` is false) and the
    /// index after the timestamp.
    public static func parseISO(_ buf: UnsafeRawBufferPointer, at: Int) -> (us: Int64, end: Int, hadZone: Bool)? {
        guard let y = ByteScan.digits(buf, at: at, count: 4), at + 19 <= buf.count,
              buf[at + 4] == 0x2D, let mo = ByteScan.digits(buf, at: at + 5, count: 2),
              buf[at + 7] == 0x2D, let d = ByteScan.digits(buf, at: at + 8, count: 2),
              buf[at + 10] == 0x54 || buf[at + 10] == 0x20 || buf[at + 10] == 0x74,
              let h = ByteScan.digits(buf, at: at + 11, count: 2), buf[at + 13] == 0x3A,
              let mi = ByteScan.digits(buf, at: at + 14, count: 2), buf[at + 16] == 0x3A,
              let s = ByteScan.digits(buf, at: at + 17, count: 2),
              let secs = seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        else { return nil }
        var i = at + 19
        var fracUs: Int64 = 0
        if i < buf.count, buf[i] == 0x2E || buf[i] == 0x2C {
            guard let f = ByteScan.fraction(buf, at: i + 1) else { return nil }
            fracUs = f.us
            i = f.end
        }
        var offset = 0
        var hadZone = false
        if i < buf.count {
            let c = buf[i]
            if c == 0x5A || c == 0x7A {
                hadZone = true; i += 1
            } else if c == 0x2B || c == 0x2D {
                let sign = c == 0x2D ? -1 : 1
                if let oh = ByteScan.digits(buf, at: i + 1, count: 2) {
                    if i + 3 < buf.count, buf[i + 3] == 0x3A, let om = ByteScan.digits(buf, at: i + 4, count: 2) {
                        offset = sign * (oh * 3600 + om * 60); i += 6; hadZone = true
                    } else if let om = ByteScan.digits(buf, at: i + 3, count: 2) {
                        offset = sign * (oh * 3600 + om * 60); i += 5; hadZone = true
                    } else {
                        offset = sign * oh * 3600; i += 3; hadZone = true
                    }
                }
            }
        }
        return ((secs - Int64(offset)) * 1_000_000 + fracUs, i, hadZone)
    }
}
