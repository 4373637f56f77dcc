/// Writes one JSON object on one line with keys in the order given (for NDJSON output).
public struct JSONLine {
    private var out = "{"
    private var first = true

    public init() {}

    private mutating func key(_ k: String) {
        if !first { out += "," }
        first = false
        out += "\""
        out += k
        out += "\":"
    }

    public mutating func add(_ k: String, _ v: String?) {
        guard let v else { return }
        key(k)
        JSONLine.appendQuoted(v, to: &out)
    }

    public mutating func add(_ k: String, _ v: Int?) {
        guard let v else { return }
        key(k)
        out += String(v)
    }

    public mutating func add(_ k: String, _ v: Bool?) {
        guard let v else { return }
        key(k)
        out += v ? "true" : "false"
    }

    /// The finished object.
    public var text: String { out + "}" }

    /// Appends `s` as a JSON string literal (control characters, quotes, backslashes and the
    /// line separators U+2028/U+2029 escaped).
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                // C0 and C1 controls and direction overrides: escaped, so that a line printed
                // on a terminal cannot drive or reorder it.
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value)
                    || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
                    || u.value == 0x200E || u.value == 0x200F || u.value == 0x061C {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

extension OriginEvent {
    /// One NDJSON line: `{"time":…,"type":"origin","kind":…}`.
    public var jsonLine: String {
        var j = JSONLine()
        j.add("time", CivilTime.rfc3339(timeUs, fraction: true))
        j.add("type", "origin")
        j.add("kind", kind.rawValue)
        j.add("service", service)
        j.add("unit", unit)
        j.add("pid", pid)
        j.add("severity", severity.rawValue)
        j.add("host", host)
        j.add("address", address)
        j.add("port", port)
        j.add("cdnAddress", cdnAddress)
        j.add("source", source)
        j.add("line", line)
        j.add("rule", rule)
        j.add("text", text)
        return j.text
    }
}

extension EdgeEvent {
    /// One NDJSON line: `{"time":…,"type":"edge","status":521,…}`.
    public var jsonLine: String {
        var j = JSONLine()
        j.add("time", CivilTime.rfc3339(timeUs, fraction: true))
        j.add("type", "edge")
        j.add("status", status)
        j.add("originStatus", originStatus)
        j.add("host", host)
        j.add("colo", colo)
        j.add("originIP", originIP)
        j.add("path", path)
        j.add("requestID", requestID)
        j.add("source", source)
        j.add("line", line)
        return j.text
    }
}
