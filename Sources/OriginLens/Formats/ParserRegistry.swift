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

    /// Picks the format whose parser claims the sampled lines best. Lines are the first
    /// non-empty lines of the file (at most a few dozen).
    public static func sniff(lines: [[UInt8]]) -> SniffResult {
        let sample = lines.first.map { String(decoding: $0.prefix(200), as: UTF8.self) }
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
