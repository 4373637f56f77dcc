/// `--redact`: masks personal and secret data in a report before it is rendered (Markdown and
/// JSON alike), so that a postmortem can be pasted into a ticket or a wiki.
///
/// What is masked, in every text that comes from the logs (excerpts, tables, timeline, causes,
/// warnings, problems):
/// - client IP addresses (IPv4 and IPv6) → `ip-1`, `ip-2`, …
/// - e-mail addresses → `email-1`, … (systemd template units such as `php-fpm@www.service` are
///   not addresses and stay)
/// - query strings: `/checkout?step=2&token=x` → `/checkout?query-1`
/// - cookies: the value of `Cookie:` / `Set-Cookie:` headers and of `cookie=` → `cookie-1`
/// - tokens: the value after `Bearer` / `Basic`, of `token=`, `api_key=`, `password=`,
///   `secret=`, `session=`, `sig=`… (`=` or `:`, quoted or not), and long hex or base64 runs
///   (32 characters or more, mixing letters and digits) → `token-1`
///
/// The same value gets the same mask everywhere in one report (numbered in the order met), so
/// the report still shows that two lines concern the same client.
///
/// What stays, because the diagnosis needs it: Cloudflare's addresses (the firewall blocked
/// *Cloudflare*), the origin's own addresses (those the edge connected to, and `--origin-ip`),
/// and non-public addresses (loopback, unspecified, RFC 1918, link-local, IPv6 unique-local:
/// `bound to 127.0.0.1`, `upstream 10.0.0.5:9000`). Input file paths, rule names, times and
/// counts are not log content and stay too.
///
/// A report type gets redacted by one `apply` that passes each of its log-derived strings
/// through `text(_:)` (and rebuilds derived fields such as fenced blocks): postmortem, weekly
/// report, and the events of `originlens events`. A new report type adds its own `apply`.
public struct Redactor {
    /// The kinds of masked values (the mask's prefix).
    public enum Kind: String, CaseIterable, Sendable {
        case ip, email, query, cookie, token
    }

    private var masks: [Kind: [String: Int]] = [:]
    private var keep: Set<IPAddress>
    private let cdn: CIDRSet

    /// `keepAddresses`: addresses that stay readable (the origin's). Cloudflare's ranges
    /// (`cdnRanges`) and non-public addresses always stay.
    public init(keepAddresses: [String] = [], cdnRanges: CIDRSet = .cloudflare) {
        keep = Set(keepAddresses.compactMap { IPAddress($0) })
        cdn = cdnRanges
    }

    /// How many distinct values of a kind were masked so far.
    public func count(_ kind: Kind) -> Int { masks[kind]?.count ?? 0 }

    /// Adds an address that stays readable from now on — unless it was already masked (a
    /// stream such as `events` can meet an origin address in an origin line before an edge
    /// record names it): then it keeps its mask, so that one report never shows the same
    /// address both masked and in the clear.
    public mutating func keepAddress(_ text: String) {
        guard let a = IPAddress(text), masks[.ip]?[a.description] == nil else { return }
        keep.insert(a)
    }

    /// True for a mask this redactor writes (`ip-3`): masking is idempotent.
    static func isMask(_ value: String) -> Bool {
        guard let dash = value.lastIndex(of: "-"), Kind(rawValue: String(value[..<dash])) != nil else { return false }
        let n = value[value.index(after: dash)...]
        return !n.isEmpty && n.allSatisfy(\.isASCII) && n.allSatisfy(\.isNumber)
    }

    private mutating func mask(_ kind: Kind, _ value: String) -> String {
        if Redactor.isMask(value) { return value }
        var m = masks[kind] ?? [:]
        if let n = m[value] { return "\(kind.rawValue)-\(n)" }
        let n = m.count + 1
        m[value] = n
        masks[kind] = m
        return "\(kind.rawValue)-\(n)"
    }

    // MARK: - Reports

    /// Masks every log-derived text of a postmortem.
    public mutating func apply(_ r: inout PostmortemReport) {
        for i in r.incidents.indices {
            var inc = r.incidents[i]
            inc.summary = text(inc.summary)
            for k in inc.hosts.indices { inc.hosts[k].key = text(inc.hosts[k].key) }
            for k in inc.paths.indices { inc.paths[k].key = text(inc.paths[k].key) }
            for k in inc.colos.indices { inc.colos[k].key = text(inc.colos[k].key) }
            inc.scope.originIPs = inc.scope.originIPs.map { text($0) }
            inc.scope.newOriginIPs = inc.scope.newOriginIPs.map { text($0) }
            inc.scope.failingColos = inc.scope.failingColos.map { text($0) }
            inc.scope.healthyColos = inc.scope.healthyColos.map { text($0) }
            inc.scope.colosText = text(inc.scope.colosText)
            inc.scope.originIPsText = text(inc.scope.originIPsText)
            inc.cause = cause(inc.cause)
            inc.alternatives = inc.alternatives.map { cause($0) }
            for k in inc.evidence.indices {
                var e = inc.evidence[k]
                e.text = text(e.text)
                e.block = MarkdownText.fenced(e.text)
                e.service = e.service.map { text($0) }
                inc.evidence[k] = e
            }
            for k in inc.timeline.indices { inc.timeline[k].what = text(inc.timeline[k].what) }
            inc.recovery.event = inc.recovery.event.map { text($0) }
            inc.recovery.firstOriginEvent = inc.recovery.firstOriginEvent.map { text($0) }
            inc.recovery.detectionText = text(inc.recovery.detectionText)
            inc.actionItems = inc.actionItems.map { text($0) }
            inc.checks = inc.checks.map { text($0) }
            r.incidents[i] = inc
        }
        for k in r.inputs.indices { r.inputs[k].warnings = r.inputs[k].warnings.map { text($0) } }
        r.problems = r.problems.map { text($0) }
        r.assumptions = r.assumptions.map { text($0) }
    }

    /// Masks every log-derived text of a weekly report (hosts, incident summaries, problems,
    /// assumptions).
    public mutating func apply(_ r: inout WeeklyReport) {
        for k in r.incidents.indices {
            r.incidents[k].summary = text(r.incidents[k].summary)
            r.incidents[k].service = r.incidents[k].service.map { text($0) }
            r.incidents[k].recurrence = r.incidents[k].recurrence.map { text($0) }
        }
        r.recurrences = r.recurrences.map { text($0) }
        for k in r.topHosts.indices { r.topHosts[k].key = text(r.topHosts[k].key) }
        for k in r.topColos.indices { r.topColos[k].key = text(r.topColos[k].key) }
        r.dataQuality.problems = r.dataQuality.problems.map { text($0) }
        r.history.message = r.history.message.map { text($0) }
        r.assumptions = r.assumptions.map { text($0) }
    }

    private mutating func cause(_ c: PostmortemReport.Cause) -> PostmortemReport.Cause {
        var c = c
        c.summary = text(c.summary)
        c.reasons = c.reasons.map { text($0) }
        c.service = c.service.map { text($0) }
        return c
    }

    /// Masks the origin events of a dataset (before a report is built from it: texts are cut
    /// for the timeline only after they are masked).
    public mutating func apply(_ d: inout Dataset) {
        for i in d.events.indices { apply(&d.events[i]) }
    }

    /// Masks an origin event for `originlens events --redact` (its address stays when it is
    /// Cloudflare's or not public).
    public mutating func apply(_ e: inout OriginEvent) {
        e.text = text(e.text)
        e.address = e.address.map { text($0) }
    }

    /// Masks an edge event for `originlens events --edge --redact`: the origin IP stays (and
    /// stays readable wherever it appears later).
    public mutating func apply(_ e: inout EdgeEvent) {
        if let ip = e.originIP { keepAddress(ip); e.originIP = text(ip) }
        e.host = e.host.map { text($0) }
        e.path = e.path.map { text($0) }
    }

    // MARK: - Text

    /// `s` with every sensitive value masked.
    public mutating func text(_ s: String) -> String {
        guard !s.isEmpty else { return s }
        var b = Array(s.utf8)
        b = queries(b)
        b = cookies(b)
        b = tokens(b)
        b = emails(b)
        b = addresses(b)
        b = secrets(b)
        return String(decoding: b, as: UTF8.self)
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// Case-insensitive `word` (lower case) at `i`, not preceded by a letter or digit.
    private static func word(_ b: [UInt8], _ i: Int, _ word: String) -> Bool {
        word.utf8.withContiguousStorageIfAvailable { Redactor.word(b, i, $0) } ?? Redactor.word(b, i, Array(word.utf8)[...])
    }

    private static func word<C: RandomAccessCollection>(_ b: [UInt8], _ i: Int, _ w: C) -> Bool where C.Element == UInt8, C.Index == Int {
        guard i + w.count <= b.count, i == 0 || !isAlnum(b[i - 1]) else { return false }
        for k in 0..<w.count where lower(b[i + k]) != w[w.startIndex + k] { return false }
        return true
    }

    /// `/path?query#frag` → `/path?query-N`: from a `?` that follows a non-space to the next
    /// space, quote or angle bracket.
    private mutating func queries(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(0x3F) else { return b }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x3F, i > 0, !Redactor.isSpace(b[i - 1]) {
                var j = i + 1
                while j < b.count, !Redactor.isQueryEnd(b[j]) { j += 1 }
                if j > i + 1 {
                    out.append(0x3F)
                    out += Array(mask(.query, String(decoding: b[(i + 1)..<j], as: UTF8.self)).utf8)
                    i = j
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    private static func isQueryEnd(_ c: UInt8) -> Bool {
        isSpace(c) || c == 0x22 || c == 0x27 || c == 0x3C || c == 0x3E || c == 0x60 || c == 0x3F || c < 0x20
    }

    /// Where a value starting at `i` ends: a quoted value ends at its closing quote (the
    /// range excludes the quotes); `toEOL` values run to the end of the line.
    private static func valueRange(_ b: [UInt8], _ start: Int, toEOL: Bool) -> Range<Int>? {
        var i = start
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        guard i < b.count else { return nil }
        if b[i] == 0x22 || b[i] == 0x27 {
            let q = b[i]
            var j = i + 1
            while j < b.count, b[j] != q, b[j] != 0x0A { j += 1 }
            return j > i + 1 ? (i + 1)..<j : nil
        }
        var j = i
        if toEOL {
            while j < b.count, b[j] != 0x0A, b[j] != 0x0D, b[j] != 0x22 { j += 1 }
            while j > i, b[j - 1] == 0x20 { j -= 1 }
        } else {
            while j < b.count, !isSpace(b[j]), b[j] != 0x26, b[j] != 0x3B, b[j] != 0x2C,
                  b[j] != 0x22, b[j] != 0x27, b[j] != 0x3C, b[j] != 0x3E, b[j] != 0x29, b[j] != 0x5D, b[j] != 0x7D { j += 1 }
        }
        return j > i ? i..<j : nil
    }

    /// After a name at `i` (length `n`): optional closing quote of a JSON key, spaces, then
    /// `=` or `:`. Returns the index after the separator and which one it was.
    private static func separator(_ b: [UInt8], after i: Int, _ n: Int) -> (Int, UInt8)? {
        var j = i + n
        if j < b.count, b[j] == 0x22 || b[j] == 0x27 { j += 1 }
        while j < b.count, b[j] == 0x20 { j += 1 }
        guard j < b.count, b[j] == 0x3D || b[j] == 0x3A else { return nil }
        if j + 1 < b.count, b[j] == 0x3A, b[j + 1] == 0x2F { return nil }  // `cookie://`
        return (j + 1, b[j])
    }

    private mutating func replacing(_ b: [UInt8], find: (inout Redactor, [UInt8], Int) -> (Range<Int>, Kind)?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        var copied = 0
        while i < b.count {
            if let (r, kind) = find(&self, b, i) {
                out += b[copied..<r.lowerBound]
                out += Array(mask(kind, String(decoding: b[r], as: UTF8.self)).utf8)
                copied = r.upperBound
                i = r.upperBound
                continue
            }
            i += 1
        }
        out += b[copied...]
        return out
    }

    /// `Cookie: a=1; b=2` (to the end of the line), `cookie="…"`, `cookie=v`.
    private mutating func cookies(_ b: [UInt8]) -> [UInt8] {
        replacing(b) { _, b, i in
            guard b[i] | 0x20 == 0x63, Redactor.word(b, i, "cookie") else { return nil }
            var n = 6
            if i + n < b.count, b[i + n] | 0x20 == 0x73 { n += 1 }  // cookies
            guard let (v, sep) = Redactor.separator(b, after: i, n),
                  let r = Redactor.valueRange(b, v, toEOL: sep == 0x3A) else { return nil }
            return (r, .cookie)
        }
    }

    /// Names whose value is a secret.
    private static let secretNames = [
        "access_token", "refresh_token", "id_token", "auth_token", "private_token", "x-auth-token",
        "x-api-key", "api_key", "api-key", "apikey", "client_secret", "secret", "token", "password",
        "passwd", "pwd", "pass", "session_id", "sessionid", "session", "sid", "signature", "sig",
        "jwt", "authorization", "auth",
    ]

    /// `Bearer X`, `Basic X`, and `NAME=X` / `NAME: X` / `"NAME":"X"` for secret names.
    private mutating func tokens(_ b: [UInt8]) -> [UInt8] {
        replacing(b) { _, b, i in
            let c = b[i] | 0x20
            if c == 0x62, Redactor.word(b, i, "bearer") || Redactor.word(b, i, "basic") {
                let n = b[i + 1] | 0x20 == 0x65 ? 6 : 5
                var j = i + n
                guard j < b.count, b[j] == 0x20 else { return nil }
                while j < b.count, b[j] == 0x20 { j += 1 }
                var k = j
                while k < b.count, Redactor.isAlnum(b[k]) || b[k] == 0x2E || b[k] == 0x5F || b[k] == 0x2D
                        || b[k] == 0x2B || b[k] == 0x2F || b[k] == 0x3D || b[k] == 0x7E { k += 1 }
                return k - j >= 8 ? (j..<k, .token) : nil
            }
            guard Redactor.isAlnum(c) else { return nil }
            for name in Redactor.secretNames where Redactor.word(b, i, name) {
                let n = name.utf8.count
                // The whole name: `token` must not match the start of `tokens_used`.
                if i + n < b.count, Redactor.isAlnum(b[i + n]) || b[i + n] == 0x5F || b[i + n] == 0x2D { continue }
                guard let (v, _) = Redactor.separator(b, after: i, n),
                      let r = Redactor.valueRange(b, v, toEOL: false) else { return nil }
                // Already masked, or a bare scheme word (`Authorization: Bearer x` is masked by
                // the Bearer rule when it is reached).
                let value = String(decoding: b[r], as: UTF8.self)
                if value.lowercased() == "bearer" || value.lowercased() == "basic" { return nil }
                return (r, .token)
            }
            return nil
        }
    }

    private static let unitSuffixes: Set<String> = [
        "service", "socket", "target", "timer", "mount", "automount", "scope", "slice", "path", "device", "swap",
    ]

    /// `local@domain.tld`.
    private mutating func emails(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(0x40) else { return b }
        func isLocal(_ c: UInt8) -> Bool { Redactor.isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D }
        func isDomain(_ c: UInt8) -> Bool { Redactor.isAlnum(c) || c == 0x2E || c == 0x2D }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var copied = 0
        var i = 0
        while i < b.count {
            guard b[i] == 0x40 else { i += 1; continue }
            var s = i
            while s > copied, isLocal(b[s - 1]) { s -= 1 }
            var e = i + 1
            while e < b.count, isDomain(b[e]) { e += 1 }
            while e > i + 1, b[e - 1] == 0x2E || b[e - 1] == 0x2D { e -= 1 }
            let domain = String(decoding: b[(i + 1)..<e], as: UTF8.self)
            let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
            if s < i, labels.count >= 2, !labels.contains(where: \.isEmpty),
               let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter),
               !Redactor.unitSuffixes.contains(tld.lowercased()) {
                out += b[copied..<s]
                out += Array(mask(.email, String(decoding: b[s..<e], as: UTF8.self).lowercased()).utf8)
                copied = e
                i = e
                continue
            }
            i += 1
        }
        out += b[copied...]
        return out
    }

    /// True for addresses that stay readable.
    private func kept(_ a: IPAddress) -> Bool {
        if keep.contains(a) || cdn.contains(a) { return true }
        switch a {
        case .v4(let v):
            let o1 = v >> 24, o2 = (v >> 16) & 0xFF
            return o1 == 127 || o1 == 10 || v == 0 || (o1 == 172 && (16...31).contains(o2))
                || (o1 == 192 && o2 == 168) || (o1 == 169 && o2 == 254)
        case .v6(let hi, let lo):
            if hi == 0 && (lo == 0 || lo == 1) { return true }      // :: and ::1
            let top = hi >> 48
            return top & 0xFFC0 == 0xFE80 || top & 0xFE00 == 0xFC00  // link-local, unique-local
        }
    }

    /// IPv4 dotted quads, then IPv6 addresses (both validated by `IPAddress`).
    private mutating func addresses(_ b: [UInt8]) -> [UInt8] {
        ipv6(ipv4(b))
    }

    private mutating func replaceAddress(_ out: inout [UInt8], _ b: [UInt8], _ r: Range<Int>, _ a: IPAddress, _ copied: inout Int) {
        guard !kept(a) else { return }
        out += b[copied..<r.lowerBound]
        out += Array(mask(.ip, a.description).utf8)
        copied = r.upperBound
    }

    /// Four numbers of at most three digits, not glued to a word or a longer dotted run
    /// (`1.2.3.4.5`, `v1.2.3.4`).
    private mutating func ipv4(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var copied = 0
        var i = 0
        while i < b.count {
            guard Redactor.isDigit(b[i]), i == 0 || !(Redactor.isAlnum(b[i - 1]) || b[i - 1] == 0x2E || b[i - 1] == 0x5F) else {
                i += 1; continue
            }
            var k = i
            var parts = 0
            var ok = true
            while parts < 4 {
                let s = k
                while k < b.count, Redactor.isDigit(b[k]), k - s < 4 { k += 1 }
                if k == s || k - s > 3 { ok = false; break }
                parts += 1
                if parts < 4 { if k < b.count, b[k] == 0x2E { k += 1 } else { ok = false; break } }
            }
            let glued = k < b.count && (Redactor.isAlnum(b[k]) || b[k] == 0x5F
                || (b[k] == 0x2E && k + 1 < b.count && Redactor.isDigit(b[k + 1])))
            if ok, !glued, let a = IPAddress(String(decoding: b[i..<k], as: UTF8.self)) {
                replaceAddress(&out, b, i..<k, a, &copied)
                i = k
                continue
            }
            // Skip the rest of this number run.
            while i < b.count, Redactor.isDigit(b[i]) || b[i] == 0x2E { i += 1 }
        }
        out += b[copied...]
        return out
    }

    /// Runs of hex digits, colons and dots holding `::`, eight groups, or an IPv4 tail; a
    /// trailing `:port` (or a sentence's colon) is tried off.
    private mutating func ipv6(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(0x3A) else { return b }
        func isCand(_ c: UInt8) -> Bool { Redactor.isHex(c) || c == 0x3A || c == 0x2E }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var copied = 0
        var i = 0
        while i < b.count {
            guard isCand(b[i]), i == 0 || !(Redactor.isAlnum(b[i - 1]) || b[i - 1] == 0x2E || b[i - 1] == 0x3A || b[i - 1] == 0x5F) else {
                i += 1; continue
            }
            var e = i
            while e < b.count, isCand(b[e]) { e += 1 }
            if e < b.count, Redactor.isAlnum(b[e]) || b[e] == 0x5F {
                // Part of a word (`deadline:`): skip the word.
                while e < b.count, Redactor.isAlnum(b[e]) || b[e] == 0x5F { e += 1 }
                i = e
                continue
            }
            var found: (Range<Int>, IPAddress)? = nil
            if e - i <= 64, b[i..<e].reduce(0, { $0 + ($1 == 0x3A ? 1 : 0) }) >= 2 {
                // The whole run, or without a trailing `:` or `:port`.
                var ends = [e]
                if b[e - 1] == 0x3A { ends.append(e - 1) }
                if let c = b[i..<e].lastIndex(of: 0x3A), c > i, e - c >= 2, e - c <= 6,
                   b[(c + 1)..<e].allSatisfy(Redactor.isDigit) { ends.append(c) }
                for end in ends {
                    let text = String(decoding: b[i..<end], as: UTF8.self)
                    if text.contains("::") || text.filter({ $0 == ":" }).count == 7 || text.contains("."),
                       let a = IPAddress(text) {
                        found = (i..<end, a)
                        break
                    }
                }
            }
            if let (r, a) = found {
                replaceAddress(&out, b, r, a, &copied)
                i = r.upperBound
                continue
            }
            i = e
        }
        out += b[copied...]
        return out
    }

    /// Long hex or base64 runs: 32 characters or more with at least four digits and four
    /// letters, all hex or mixing upper and lower case.
    private mutating func secrets(_ b: [UInt8]) -> [UInt8] {
        guard b.count >= 16 else { return b }
        func isTok(_ c: UInt8) -> Bool { Redactor.isAlnum(c) || c == 0x2B || c == 0x2F || c == 0x3D || c == 0x5F || c == 0x2D }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var copied = 0
        var i = 0
        while i < b.count {
            guard isTok(b[i]) else { i += 1; continue }
            var e = i
            var digits = 0, letters = 0, upper = false, lowerCase = false, hex = true
            while e < b.count, isTok(b[e]) {
                let c = b[e]
                if Redactor.isDigit(c) { digits += 1 }
                else if c >= 0x41 && c <= 0x5A { letters += 1; upper = true }
                else if c >= 0x61 && c <= 0x7A { letters += 1; lowerCase = true }
                if !Redactor.isHex(c) { hex = false }
                e += 1
            }
            // Trim separators that end the run (`token,` `path/`).
            var end = e
            while end > i, b[end - 1] == 0x2D || b[end - 1] == 0x5F || b[end - 1] == 0x2F { end -= 1 }
            // A run cut short (followed by the `…` of a truncated text) may be what is left of
            // a longer secret: masked from 16 characters.
            let atCut = end + 3 <= b.count && b[end] == 0xE2 && b[end + 1] == 0x80 && b[end + 2] == 0xA6
            let minLength = atCut ? 16 : 32
            if end - i >= minLength, digits >= 4, letters >= 4, hex || (upper && lowerCase) {
                let value = String(decoding: b[i..<end], as: UTF8.self)
                if !Kind.allCases.contains(where: { value.hasPrefix($0.rawValue + "-") }) {
                    out += b[copied..<i]
                    out += Array(mask(.token, value).utf8)
                    copied = end
                }
            }
            i = e
        }
        out += b[copied...]
        return out
    }
}
