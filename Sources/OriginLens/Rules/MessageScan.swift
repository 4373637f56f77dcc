import Foundation

/// Byte-level helpers the rule matcher uses to look inside a message: its body, unit names,
/// `comm`s, cgroup paths, addresses and ports. All work on borrowed bytes and never trap.
enum MessageScan {
    typealias Bytes = UnsafeRawBufferPointer

    // MARK: Body

    /// Offset where the message body starts: after leading blanks, up to two leading bracket
    /// tags that are a kernel time stamp (`[  123.456789]`) or an upper-case level
    /// (`[NOTICE]`, `[WARNING]`).
    static func bodyStart(_ m: Bytes) -> Int {
        var i = ByteScan.skipSpaces(m, from: 0)
        for _ in 0..<2 {
            guard i < m.count, m[i] == 0x5B else { break }
            var j = i + 1
            var stamp = true, level = true
            while j < m.count, j - i <= 24, m[j] != 0x5D {
                let c = m[j]
                if !((c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x20) { stamp = false }
                if !(c >= 0x41 && c <= 0x5A) { level = false }
                j += 1
            }
            guard j < m.count, m[j] == 0x5D, j > i + 1, stamp || level else { break }
            i = ByteScan.skipSpaces(m, from: j + 1)
        }
        return i
    }

    // MARK: Tokens

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// End of the token starting at `from` (first blank or end).
    static func tokenEnd(_ m: Bytes, from: Int) -> Int {
        var i = from
        while i < m.count, !isBlank(m[i]) { i += 1 }
        return i
    }

    static func string(_ m: Bytes, _ from: Int, _ to: Int) -> String {
        String(decoding: ByteScan.slice(m, from, to), as: UTF8.self)
    }

    /// A unit name at `[from, to)` with trailing `:`, `.`, `,`, quotes removed, or nil.
    static func unitToken(_ m: Bytes, _ from: Int, _ to: Int) -> String? {
        var a = from, b = to
        while a < b, m[a] == 0x27 || m[a] == 0x22 { a += 1 }   // quotes
        while b > a, m[b - 1] == 0x3A || m[b - 1] == 0x2C || m[b - 1] == 0x27 || m[b - 1] == 0x22 { b -= 1 }
        guard b - a >= 3, b - a <= 256 else { return nil }
        let s = string(m, a, b)
        if ServiceNames.looksLikeUnit(s[...]) { return s }
        // `nginx.service.` (sentence end)
        if s.hasSuffix("."), ServiceNames.looksLikeUnit(s.dropLast()) { return String(s.dropLast()) }
        return nil
    }

    /// `<unit>: …` or v219 `<unit> …` at the body start.
    static func unitPrefix(_ m: Bytes, body: Int) -> String? {
        let end = tokenEnd(m, from: body)
        return unitToken(m, body, end)
    }

    /// The first word of the message that is a unit name.
    static func unitInText(_ m: Bytes, body: Int) -> String? {
        var i = body
        while i < m.count {
            i = ByteScan.skipSpaces(m, from: i)
            let e = tokenEnd(m, from: i)
            if e > i, let u = unitToken(m, i, e) { return u }
            i = e + 1
        }
        return nil
    }

    static let jobVerbs: [StaticString] = ["Failed to start ", "Dependency failed for ", "Timed out starting ",
                                            "Started ", "Stopped ", "Reloaded ", "Reloading ", "Reload failed for ",
                                            "Starting ", "Stopping "]

    /// systemd job message `<Verb> <unit> - <description>.`, `<Verb> <unit>.` or
    /// `<Verb> <description>.`: the unit (when written) and the description.
    static func jobText(_ m: Bytes, body: Int) -> (unit: String?, description: String)? {
        var start = -1
        for v in jobVerbs where ByteScan.hasPrefix(v, in: m, at: body) {
            start = body + v.utf8CodeUnitCount
            break
        }
        guard start >= 0 else { return nil }
        var end = m.count
        if let nl = ByteScan.find(0x0A, in: m, from: start) { end = nl }
        while end > start, isBlank(m[end - 1]) { end -= 1 }
        while end > start, m[end - 1] == 0x2E { end -= 1 }   // "." or "..."
        let rest = ByteScan.slice(m, start, end)
        var restEnd = rest.count
        if restEnd >= 11, ByteScan.hasPrefix(" with error", in: rest, at: restEnd - 11) { restEnd -= 11 }
        if let dash = ByteScan.find(" - ", in: ByteScan.slice(rest, 0, restEnd)),
           let unit = unitToken(rest, 0, dash), ByteScan.find(0x20, in: ByteScan.slice(rest, 0, dash)) == nil {
            return (unit, string(rest, dash + 3, restEnd))
        }
        if let unit = unitToken(rest, 0, restEnd), ByteScan.find(0x20, in: ByteScan.slice(rest, 0, restEnd)) == nil {
            return (unit, "")
        }
        return (nil, string(rest, 0, restEnd))
    }

    // MARK: Kernel and coredump

    /// Last component of a cgroup path after `task_memcg=`, systemd-oomd's `Killed `, or old
    /// kernels' `Task in `.
    static func cgroupLeaf(_ m: Bytes) -> String? {
        var p: Int? = nil
        for anchor: StaticString in ["task_memcg=", "Killed /", "Task in "] {
            if let a = ByteScan.find(anchor, in: m) {
                p = a + anchor.utf8CodeUnitCount
                break
            }
        }
        guard var i = p else { return nil }
        var end = i
        while end < m.count, !isBlank(m[end]), m[end] != 0x2C { end += 1 }
        guard end > i else { return nil }
        // Last path component.
        var j = end
        while j > i, m[j - 1] != 0x2F { j -= 1 }
        i = j
        guard end > i else { return nil }
        return string(m, i, end)
    }

    /// `(comm)` and pid after `Killed process N`, `Kill process N` or coredump's `Process N`;
    /// CentOS 6 writes `Killed process N, UID U, (comm)`.
    static func processComm(_ m: Bytes) -> (comm: String, pid: Int?)? {
        var at: Int? = nil
        for anchor: StaticString in ["Killed process ", "Kill process ", "Process "] {
            if let a = ByteScan.find(anchor, in: m) { at = a + anchor.utf8CodeUnitCount; break }
        }
        guard let s = at else { return nil }
        let pidRun = ByteScan.digitRun(m, at: s, max: 10)
        let from = pidRun?.end ?? s
        guard let open = ByteScan.find(0x28, in: ByteScan.slice(m, from, min(m.count, from + 40))) else { return nil }
        let o = from + open + 1
        guard let close = ByteScan.find(0x29, in: ByteScan.slice(m, o, min(m.count, o + 64))), close > 0 else { return nil }
        return (string(m, o, o + close), pidRun?.value)
    }

    /// `comm[pid]` of `comm[pid]: segfault at …` and `traps: comm[pid] …`.
    static func bracketComm(_ m: Bytes, body: Int) -> (comm: String, pid: Int?)? {
        var start = body
        if let t = ByteScan.find("traps: ", in: m, from: body) { start = t + 7 }
        guard let open = ByteScan.find(0x5B, in: m, from: start), open > start,
              let run = ByteScan.digitRun(m, at: open + 1, max: 10), run.end < m.count, m[run.end] == 0x5D
        else { return nil }
        return (string(m, start, open), run.value)
    }

    // MARK: Addresses and ports

    /// Bytes that end an address token.
    @inline(__always) static func isAddressEnd(_ c: UInt8) -> Bool {
        isBlank(c) || c == 0x2C || c == 0x29 || c == 0x28 || c == 0x3B || c == 0x22
    }

    /// An address token at `from`: (text, start, end) when it parses as an IP address.
    static func addressAt(_ m: Bytes, _ from: Int) -> String? {
        var end = from
        while end < m.count, !isAddressEnd(m[end]) { end += 1 }
        var b = end
        if b > from, let _ = IPAddress.parse(ByteScan.slice(m, from, b)) { return string(m, from, b) }
        // Trailing punctuation (`1.2.3.4:`, `1.2.3.4.`, `1.2.3.4]`).
        while b > from, m[b - 1] == 0x3A || m[b - 1] == 0x2E || m[b - 1] == 0x5D { b -= 1 }
        if b > from, let _ = IPAddress.parse(ByteScan.slice(m, from, b)) { return string(m, from, b) }
        return nil
    }

    /// Netfilter LOG: `SRC=` address and `DPT=` port.
    static func netfilter(_ m: Bytes) -> (address: String?, port: Int?) {
        var addr: String? = nil, port: Int? = nil
        if let s = ByteScan.find(" SRC=", in: m) { addr = addressAt(m, s + 5) }
        if let d = ByteScan.find(" DPT=", in: m), let run = ByteScan.digitRun(m, at: d + 5, max: 6) { port = run.value }
        return (addr, port)
    }

    /// CSF lfd: the first token of the message that is an IP address.
    static func firstAddress(_ m: Bytes, from: Int) -> String? {
        var i = from
        while i < m.count {
            while i < m.count, isBlank(m[i]) || m[i] == 0x28 || m[i] == 0x5B { i += 1 }
            if i >= m.count { break }
            if let a = addressAt(m, i) { return a }
            while i < m.count, !isBlank(m[i]) { i += 1 }
        }
        return nil
    }

    /// fail2ban: the address after `Ban ` / `Unban `.
    static func fail2banAddress(_ m: Bytes) -> String? {
        let from = ByteScan.find("] ", in: m).map { $0 + 2 } ?? 0
        let at: Int
        if let b = ByteScan.find("Ban ", in: m, from: from) { at = b + 4 }
        else if let u = ByteScan.find("Unban ", in: m, from: from) { at = u + 6 }
        else { return nil }
        return addressAt(m, ByteScan.skipSpaces(m, from: at))
    }

    /// The client address of an Apache (`[client A:P]`) or nginx (`client: A,`) error line.
    static func clientAddress(_ m: Bytes) -> String? {
        if let c = ByteScan.find("[client ", in: m) {
            let s = c + 8
            var e = s
            while e < m.count, m[e] != 0x5D, !isBlank(m[e]) { e += 1 }
            let tok = ByteScan.slice(m, s, e)
            if IPAddress.parse(tok) != nil { return string(m, s, e) }
            // `A:port` (IPv4, or Apache's unbracketed IPv6 with a port).
            var k = e
            while k > s, m[k - 1] >= 0x30, m[k - 1] <= 0x39 { k -= 1 }
            if k > s + 1, k < e, m[k - 1] == 0x3A, IPAddress.parse(ByteScan.slice(m, s, k - 1)) != nil {
                return string(m, s, k - 1)
            }
            return nil
        }
        if let c = ByteScan.find("client: ", in: m) { return addressAt(m, c + 8) }
        return nil
    }

    /// AWS VPC flow log, default v2 fields (version account-id interface-id srcaddr dstaddr
    /// srcport dstport protocol packets bytes start end action log-status): srcaddr, dstport and
    /// action.
    static func vpcFlow(_ m: Bytes) -> (src: String, dstPort: Int, action: String)? {
        var fields: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)   // src a/b, dport a/b, action a/b
        var idx = 0, i = 0
        while i < m.count && idx <= 13 {
            while i < m.count, isBlank(m[i]) { i += 1 }
            if i >= m.count { break }
            let s = i
            while i < m.count, !isBlank(m[i]) { i += 1 }
            switch idx {
            case 0: guard ByteScan.parseInt(ByteScan.slice(m, s, i)) != nil else { return nil }
            case 3: fields.0 = s; fields.1 = i
            case 6: fields.2 = s; fields.3 = i
            case 12: fields.4 = s; fields.5 = i
            default: break
            }
            idx += 1
        }
        guard idx >= 13, let port = ByteScan.parseInt(ByteScan.slice(m, fields.2, fields.3)) else { return nil }
        return (string(m, fields.0, fields.1), port, string(m, fields.4, fields.5))
    }

    // MARK: Conditions

    /// `code=<word>` and `status=<n>` of a systemd process exit message.
    static func processFailed(_ m: Bytes) -> Bool {
        if let c = ByteScan.find("code=", in: m) {
            let s = c + 5
            var e = s
            while e < m.count, m[e] != 0x2C, !isBlank(m[e]) { e += 1 }
            if !(e - s == 6 && ByteScan.hasPrefix("exited", in: m, at: s)) { return true }
        }
        if let st = ByteScan.find("status=", in: m), let run = ByteScan.digitRun(m, at: st + 7, max: 10) {
            return run.value != 0
        }
        return false
    }

    /// The message ends with ` in /path:N` (or holds ` in command line`).
    static func configLocation(_ m: Bytes) -> Bool {
        if ByteScan.find(" in command line", in: m) != nil { return true }
        var end = m.count
        while end > 0, isBlank(m[end - 1]) { end -= 1 }
        var d = end
        while d > 0, m[d - 1] >= 0x30, m[d - 1] <= 0x39 { d -= 1 }
        guard d < end, d > 0, m[d - 1] == 0x3A else { return false }
        // " in /" before the colon, with no blank between the path start and the colon.
        var i = d - 1
        while i > 0, !isBlank(m[i - 1]) { i -= 1 }
        return i >= 4 && m[i] == 0x2F && ByteScan.hasPrefix(" in ", in: m, at: i - 4)
    }

    /// The netfilter LOG prefix (text before `IN=`) contains DROP, REJECT, BLOCK, DENY or DENIED
    /// in any case (`IPTABLES-DROP: `, `iptables denied: `, `nft-reject `).
    static func denyPrefix(_ m: Bytes, body: Int) -> Bool {
        guard let inPos = ByteScan.find("IN=", in: m, from: body), inPos > body else { return false }
        let p = ByteScan.slice(m, body, inPos)
        return containsFolded(p, "drop") || containsFolded(p, "reject") || containsFolded(p, "block")
            || containsFolded(p, "deny") || containsFolded(p, "denied")
    }

    /// Case-insensitive ASCII search for a lower-case literal.
    static func containsFolded(_ buf: Bytes, _ lower: StaticString) -> Bool {
        let n = lower.utf8CodeUnitCount
        guard n > 0, buf.count >= n else { return false }
        let l = lower.utf8Start
        var i = 0
        while i + n <= buf.count {
            var k = 0
            while k < n, (buf[i + k] | 0x20) == l[k] { k += 1 }
            if k == n { return true }
            i += 1
        }
        return false
    }

    /// systemd v219 `<unit> failed.` — the whole message.
    static func unitFailedV219(_ m: Bytes, body: Int) -> Bool {
        var end = m.count
        while end > body, isBlank(m[end - 1]) { end -= 1 }
        guard end - body > 8, ByteScan.hasPrefix(" failed.", in: m, at: end - 8) else { return false }
        let tokEnd = tokenEnd(m, from: body)
        return tokEnd == end - 8 && unitToken(m, body, tokEnd) != nil
    }

    // MARK: Globs

    /// `*` matches any run of bytes; everything else matches itself.
    static func glob(_ pattern: Bytes, _ text: Bytes) -> Bool {
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count && pattern[p] != 0x2A && pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.count && pattern[p] == 0x2A {
                starP = p; starT = t; p += 1
            } else if starP >= 0 {
                p = starP + 1; starT += 1; t = starT
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == 0x2A { p += 1 }
        return p == pattern.count
    }
}
