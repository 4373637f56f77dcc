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
        var report = PostmortemBuilder.build(data, options: options)
        if options.redact { redact(&report, options: options) }
        return (report, data)
    }

    /// The exit status of `originlens analyze` for what was read (see `originlens --help`):
    /// 0 when at least one input could be read (a report is written, skipped lines and
    /// unreadable inputs are listed in it), 1 when no input could be read at all.
    public static func exitStatus(for data: Dataset) -> Int32 {
        data.anyInputRead ? 0 : 1
    }

    /// `--redact`: masks client addresses, e-mail addresses, query strings, cookies and tokens
    /// (see `Redactor`); the origin's addresses (those the edge connected to, `--origin-ip`)
    /// and Cloudflare's stay readable.
    public static func redact(_ report: inout PostmortemReport, options: AnalyzeOptions) {
        var r = redactor(for: report, expectedOriginIP: options.diagnosis.expectedOriginIP)
        r.apply(&report)
    }

    /// A redactor that keeps the origin's addresses of `report` readable. One redactor used
    /// for several documents (a weekly report and its postmortems) masks them alike.
    public static func redactor(for report: PostmortemReport, expectedOriginIP: String?) -> Redactor {
        var keep = report.incidents.flatMap { $0.scope.originIPs }
        if let ip = expectedOriginIP { keep.append(ip) }
        return Redactor(keepAddresses: keep)
    }

    /// The report as pretty JSON (`--json`).
    public static func json<T: Encodable>(_ value: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? enc.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
