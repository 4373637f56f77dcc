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
        return (PostmortemBuilder.build(data, options: options), data)
    }

    /// The report as pretty JSON (`--json`).
    public static func json<T: Encodable>(_ value: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? enc.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
