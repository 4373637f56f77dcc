/// Making text from logs safe to print on a terminal (stderr warnings, the `formats` table):
/// a log line must not be able to recolour, retitle or rewrite the user's terminal, nor turn
/// its text around with direction overrides.
public enum TerminalText {
    /// Removes ANSI escape sequences (CSI `ESC [ … final`, OSC/DCS/PM/APC `ESC ] … BEL/ST`,
    /// two-byte `ESC X`, and their 8-bit C1 forms), every other C0 and C1 control character (newlines, carriage returns and tabs
    /// become spaces) and the bidirectional override, embedding and isolate characters.
    public static func clean(_ s: String) -> String {
        // Fast path: nothing to remove.
        if !s.unicodeScalars.contains(where: needsCleaning) { return s }
        var out = String.UnicodeScalarView()
        var it = s.unicodeScalars.makeIterator()
        while let u = it.next() {
            switch u.value {
            case 0x1B, 0x9B, 0x9D, 0x90, 0x9E, 0x9F:
                // ESC X, or the 8-bit introducers CSI (U+009B), OSC, DCS, PM, APC.
                let n: Unicode.Scalar
                switch u.value {
                case 0x9B: n = "["
                case 0x9D: n = "]"
                case 0x90: n = "P"
                case 0x9E: n = "^"
                case 0x9F: n = "_"
                default:
                    guard let next = it.next() else { continue }
                    n = next
                }
                if n == "[" {
                    while let c = it.next(), !(0x40...0x7E).contains(c.value) {}
                } else if n == "]" || n == "P" || n == "_" || n == "^" {
                    // OSC, DCS, APC, PM strings end at BEL or ST (`ESC \` or U+009C).
                    while let c = it.next() {
                        if c.value == 0x07 || c.value == 0x9C { break }
                        if c.value == 0x1B {
                            if let t = it.next(), t != "\\" { if !needsCleaning(t) { out.append(t) } }
                            break
                        }
                    }
                }
            case 0x0A, 0x0D, 0x09: out.append(" ")
            case 0x00..<0x20, 0x7F, 0x80..<0xA0: continue
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: continue
            default: out.append(u)
            }
        }
        return String(out)
    }

    private static func needsCleaning(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }

    /// Encoded JSON with the characters that can drive or reorder a terminal (C1 controls,
    /// direction overrides; C0 controls are escaped by every JSON encoder) written as `\uXXXX`
    /// escapes: the same JSON value, safe to print. They can only occur inside strings.
    public static func escapeJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { $0.value >= 0x80 && needsCleaning($0) }) else { return json }
        var out = String.UnicodeScalarView()
        for u in json.unicodeScalars {
            if u.value >= 0x80 && needsCleaning(u) {
                let hex = String(u.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }
}
