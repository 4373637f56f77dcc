import Foundation

/// `originlens analyze` as a library call: read the inputs, find the incidents, diagnose them,
/// build the report model.
public enum Analyzer {
    public static func run(paths: [String], scan: ScanOptions, options: AnalyzeOptions,
                           progress: (@Sendable (FileStats) -> Void)? = nil) -> (PostmortemReport, Dataset) {
        let plan = InputPlan.make(paths: paths)
        var ingest = Ingestor.Options()
        ingest.sinceUs = options.sinceUs
        ingest.untilUs = options.untilUs
        ingest.extraServices = Array(options.diagnosis.webServices)
        let data = Ingestor.run(plan: plan, scan: scan, options: ingest, progress: progress)
        return (build(data, options: options), data)
    }

    /// The report of what was read; with `options.redact`, masked (see `redacted`).
    public static func build(_ data: Dataset, options: AnalyzeOptions) -> PostmortemReport {
        options.redact ? redacted(data, options: options).report : PostmortemBuilder.build(data, options: options)
    }

    /// The exit status of `originlens analyze` for what was read (see `originlens --help`):
    /// 0 when at least one input could be read (a report is written, skipped lines and
    /// unreadable inputs are listed in it), 1 when no input could be read at all.
    public static func exitStatus(for data: Dataset) -> Int32 {
        data.anyInputRead ? 0 : 1
    }

    /// `--redact`: the report with client addresses, e-mail addresses, query strings, cookies
    /// and tokens masked (see `Redactor`). The origin's addresses (every `OriginIP` of the edge
    /// logs, and `--origin-ip`) and Cloudflare's stay readable. The events are masked before the
    /// report is built, so that no text is cut (timeline rows, recovery lines) before it is
    /// masked; then every other text of the report. Also returns the redactor, to mask more
    /// documents (the postmortems of a weekly run) alike.
    public static func redacted(_ data: Dataset, options: AnalyzeOptions) -> (report: PostmortemReport, redactor: Redactor) {
        var r = redactor(for: data, expectedOriginIP: options.diagnosis.expectedOriginIP)
        var d = data
        r.apply(&d)
        var report = PostmortemBuilder.build(d, options: options)
        r.apply(&report)
        return (report, r)
    }

    /// A redactor that keeps the origin's addresses of `data` readable: one redactor used for
    /// several documents (a weekly report and its postmortems) masks them alike.
    public static func redactor(for data: Dataset, expectedOriginIP: String?) -> Redactor {
        var keep = (0..<Int32(data.traffic.ips.count)).map { data.traffic.ipName($0) }
        if let ip = expectedOriginIP { keep.append(ip) }
        return Redactor(keepAddresses: keep)
    }

    /// The report as pretty JSON (`--json`).
    public static func json<T: Encodable>(_ value: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? enc.encode(value) else { return "{}\n" }
        return TerminalText.escapeJSON(String(decoding: data, as: UTF8.self)) + "\n"
    }
}
