import ArgumentParser
import Foundation
import OriginLens

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find 521 incidents, diagnose their cause and write a Markdown postmortem.",
        discussion: """
        Reads edge logs (Cloudflare Logpush, CloudFront) and origin logs, finds windows of \
        elevated 521s, weighs the origin events around each window and the window's shape at \
        the edge, and writes a postmortem from a Mustache template (or JSON with --json). \
        A run with no incident writes a short report that says so (exit status 0).
        """
    )

    @OptionGroup var input: InputOptions
    @Option(name: .long, help: "A minute is part of an incident with at least this many 521s.") var minErrors: Int = 5
    @Option(name: .long, help: "… and when 521s are at least this share of its requests (0.01 or 1%).") var minRate: String = "1%"
    @Option(name: .long, help: "Incidents closer than this merge (seconds, or 5m, 1h).") var mergeGap: String = "5m"
    @Option(name: .long, help: "Origin events this long before an incident are weighed (seconds, or 15m).") var lookback: String = "15m"
    @Option(name: .long, help: "Only analyse from this time (RFC 3339, date, or Unix seconds).") var since: String?
    @Option(name: .long, help: "Only analyse until this time.") var until: String?
    @Option(name: .long, help: "Report only this incident (its ID, e.g. OL-20261124-1023).") var incident: String?
    @Option(name: .long, help: "Treat this unit/program as web-serving (repeatable).") var service: [String] = []
    @Option(name: .long, help: "The origin IP the CDN should connect to (flags DNS mismatches).") var originIp: String?
    @Option(name: .long, help: "Render with this Mustache template instead of the default.") var template: String?
    @Flag(name: .long, help: "Print the report model as JSON.") var json = false
    @Option(name: .long, help: "Write to FILE (atomically) instead of stdout; never one of the inputs.") var out: String?
    @OptionGroup var history: HistoryOptions
    @OptionGroup var redaction: RedactOption
    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        _ = try parseRate(minRate)
        _ = try parseSeconds(mergeGap, name: "--merge-gap")
        _ = try parseSeconds(lookback, name: "--lookback")
        if minErrors < 1 { throw ValidationError("--min-errors must be at least 1") }
    }

    func run() throws {
        var opts = AnalyzeOptions()
        opts.diagnosis.detection.minErrors = minErrors
        opts.diagnosis.detection.minRate = try parseRate(minRate)
        opts.diagnosis.detection.mergeGapSeconds = try parseSeconds(mergeGap, name: "--merge-gap")
        opts.diagnosis.detection.lookbackSeconds = try parseSeconds(lookback, name: "--lookback")
        opts.diagnosis.webServices.formUnion(service)
        opts.diagnosis.expectedOriginIP = originIp
        var scan = try input.scanOptions()
        let progress = progressOptions.reporter()
        scan.progress = progress
        opts.zone = scan.zone
        opts.sinceUs = try since.map { try parseTimeArgument($0, name: "--since") }
        opts.untilUs = try until.map { try parseTimeArgument($0, name: "--until") }
        opts.incident = incident
        var templateText = TemplateRenderer.defaultTemplate("postmortem.md.mustache")
        if let t = template {
            do { templateText = try TemplateRenderer.load(path: t) } catch { warn("\(error)"); throw ExitCode(1) }
        }
        let writer: OutputWriter
        do { writer = try OutputWriter(path: out, inputs: input.paths) } catch { warn("\(error)"); throw ExitCode(1) }
        var (report, data) = Analyzer.run(paths: input.paths, scan: scan, options: opts)
        progress?.finish()
        let status = Analyzer.exitStatus(for: data)
        if status == 0, let path = history.path {
            // The history (a local database) keeps the real values; --redact is for the output.
            let use = History.recordAnalysis(path: path, site: history.site, report: report, data: data,
                                             sinceUs: opts.sinceUs, untilUs: opts.untilUs)
            if let m = use.problem { warn(m) }
        }
        if redaction.redact {
            opts.redact = true
            report = Analyzer.build(data, options: opts)
        }
        // The report's problem list: open errors, damage, unknown formats (capped, and
        // redacted with --redact).
        for p in report.problems { warn(p) }
        if status != 0 {
            warn("no input could be read")
            throw ExitCode(status)
        }
        if let id = incident, report.incidents.isEmpty {
            warn("no incident with ID \(id) (run without --incident to list them)")
        }
        if json {
            writer.write(Analyzer.json(report))
        } else {
            do { writer.write(try TemplateRenderer.render(report, template: templateText)) } catch { warn("\(error)"); throw ExitCode(1) }
        }
        do { try writer.commit() } catch { warn("\(error)"); throw ExitCode(1) }
    }
}

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Write the default templates out for editing.",
        discussion: "Edit a copy and pass it with --template FILE. The template context is documented in docs/template-context.md."
    )

    @Option(name: .long, help: "Directory to write the default templates into.") var dump: String

    func run() throws {
        do {
            for p in try TemplateRenderer.dump(to: dump) { print(p) }
        } catch { warn("\(error)"); throw ExitCode(1) }
    }
}

/// `0.01`, `1%`, `1 %`.
func parseRate(_ s: String) throws -> Double {
    let t = s.replacingOccurrences(of: " ", with: "")
    if t.hasSuffix("%"), let v = Double(t.dropLast()), v >= 0, v <= 100 { return v / 100 }
    if let v = Double(t), v >= 0, v <= 1 { return v }
    throw ValidationError("--min-rate takes a share such as 0.01 or 1%; got '\(s)'")
}

/// `300`, `90s`, `5m`, `1h`.
func parseSeconds(_ s: String, name: String) throws -> Int {
    let t = s.trimmingCharacters(in: .whitespaces).lowercased()
    var mult = 1
    var num = Substring(t)
    if t.hasSuffix("s") { num = num.dropLast() } else if t.hasSuffix("m") { mult = 60; num = num.dropLast() } else if t.hasSuffix("h") { mult = 3600; num = num.dropLast() }
    guard let v = Int(num), v >= 0 else { throw ValidationError("\(name) takes seconds or a duration such as 5m or 1h; got '\(s)'") }
    return v * mult
}
