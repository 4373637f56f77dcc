/// The list of parsers and the format sniffer.
public enum ParserRegistry {
    /// Every parser, in tie-break order (earlier wins an equal sniff score).
    public static var all: [any LineParser.Type] { [
        CloudflareJSONParser.self,
        JournalJSONParser.self,
        JournalExportParser.self,
        CloudFrontParser.self,
        CloudflareCSVParser.self,
        VPCFlowParser.self,
        ProxmoxFirewallParser.self,
        NginxErrorParser.self,
        ApacheErrorParser.self,
        PhpFpmParser.self,
        Fail2banParser.self,
        Syslog5424Parser.self,
        SyslogParser.self,
        AccessLogParser.self,
    ] }

    /// The parser type for a format; nil for `.unknown`. `.journalctlText` shares the syslog
    /// text parser.
    public static func parserType(for format: LogFormat) -> (any LineParser.Type)? {
        if format == .journalctlText { return SyslogParser.self }
        return all.first { $0.format == format }
    }

    /// Makes a parser for `format`.
    public static func makeParser(_ format: LogFormat, context: ParseContext) -> (any LineParser)? {
        guard let t = parserType(for: format) else { return nil }
        return t.init(context: context)
    }

    /// The result of sniffing a file's first lines.
    public struct SniffResult: Sendable, Equatable {
        public var format: LogFormat
        /// Share of the sampled lines the chosen parser claimed (0…1).
        public var share: Double
        /// The first sampled line, for `unknown` reports.
        public var sample: String?
    }

    /// The first 200 bytes of a line for a report, cut before a token (address, e-mail
    /// address, word) that runs past them when it starts in the last 80 bytes (a cut address
    /// would escape `--redact`), never inside a UTF-8 sequence; `…` marks a cut.
    static func sampleText(_ line: [UInt8]) -> String {
        let limit = 200
        guard line.count > limit else { return clean(String(decoding: line, as: UTF8.self)) }
        // Characters that can be part of an address, an e-mail address or a token.
        func inToken(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b >= 0x80
                || b == 0x2E || b == 0x3A || b == 0x40 || b == 0x25 || b == 0x2B || b == 0x5F || b == 0x2D
        }
        var end = limit
        if inToken(line[limit]), let stop = line[(limit - 80)..<limit].lastIndex(where: { !inToken($0) }) {
            end = stop + 1
        }
        while end > limit - 3, line[end] & 0xC0 == 0x80 { end -= 1 }
        return clean(String(decoding: line[..<end], as: UTF8.self)) + "…"
    }

    /// Control characters (C0, DEL, C1) and bidirectional controls shown as U+FFFD, tabs as
    /// spaces: the sample is quoted in reports, JSON and on the terminal.
    static func clean(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x09: out.append(" ")
            case 0x00..<0x20, 0x7F...0x9F, 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// Picks the format whose parser claims the sampled lines best. Lines are the first
    /// non-empty lines of the file (at most a few dozen).
    public static func sniff(lines: [[UInt8]]) -> SniffResult {
        let sample = lines.first.map(sampleText)
        guard !lines.isEmpty else { return SniffResult(format: .unknown, share: 0, sample: nil) }
        var best: (type: any LineParser.Type, score: Int, hits: Int)? = nil
        for t in all {
            var score = 0
            var hits = 0
            for line in lines {
                let s = line.withUnsafeBytes { t.sniff($0) }
                score += s
                if s > 0 { hits += 1 }
            }
            // One "could be" line among several is no evidence (binary junk has a line that
            // looks like `A=…` now and then): a format needs more to win.
            if score > 1 || (score == 1 && lines.count == 1), best == nil || score > best!.score { best = (t, score, hits) }
        }
        guard let b = best else { return SniffResult(format: .unknown, share: 0, sample: sample) }
        var format = b.type.format
        if format == .syslog3164, SyslogParser.looksLikeJournalctl(lines: lines) { format = .journalctlText }
        return SniffResult(format: format, share: Double(b.hits) / Double(lines.count), sample: sample)
    }
}
