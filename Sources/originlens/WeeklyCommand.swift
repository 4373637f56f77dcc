import ArgumentParser
import Foundation
import OriginLens

/// `--history`, `--no-history`, `--site`: shared by `weekly` and `analyze`.
struct HistoryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The history database (default $XDG_STATE_HOME/originlens/history.sqlite, or ~/.local/state/originlens/history.sqlite).", valueName: "FILE"))
    var history: String?

    @Flag(name: .long, help: "Neither record this run in the history nor read it.")
    var noHistory = false

    @Option(name: .long, help: "History key of the site, to keep several sites in one history file.")
    var site: String = History.defaultSite

    func validate() throws {
        if noHistory && history != nil { throw ValidationError("--history and --no-history exclude each other") }
        if site.isEmpty { throw ValidationError("--site must not be empty") }
    }

    /// Nil with `--no-history`.
    var path: String? { noHistory ? nil : (history ?? History.defaultPath()) }
}

struct WeeklyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weekly",
        abstract: "Write the weekly reliability summary: availability, error budget, incidents and their causes, trends.",
        discussion: """
        Reads a week of edge and origin logs (by default the last complete ISO week, Monday \
        00:00 to Monday 00:00 UTC), finds and diagnoses the 521 incidents as `analyze` does, \
        records the days and incidents in the history (SQLite) and compares with earlier weeks. \
        A history that is locked, corrupt or from a newer version is reported on stderr and the \
        report is written from the logs alone. The exit status is non-zero only when no report \
        could be written.
        """
    )

    @OptionGroup var input: InputOptions
    @Option(name: .long, help: "The ISO week to report, e.g. 2026-W47 (default: the last complete week).") var week: String?
    @Option(name: .long, help: "Report from this time instead of a week (RFC 3339, date, or Unix seconds; with --until).") var since: String?
    @Option(name: .long, help: "Report until this time (excluded).") var until: String?
    @Option(name: .long, help: "Availability objective in percent (share of edge responses that are not 5xx).") var slo: Double = 99.9
    @OptionGroup var historyOptions: HistoryOptions
    @Option(name: .long, help: ArgumentHelp("Also write each incident's postmortem into DIR and link it.", valueName: "DIR")) var postmortems: String?
    @Option(name: .long, help: "A minute is part of an incident with at least this many 521s.") var minErrors: Int = 5
    @Option(name: .long, help: "… and when 521s are at least this share of its requests (0.01 or 1%).") var minRate: String = "1%"
    @Option(name: .long, help: "Incidents closer than this merge (seconds, or 5m, 1h).") var mergeGap: String = "5m"
    @Option(name: .long, help: "Treat this unit/program as web-serving (repeatable).") var service: [String] = []
    @Option(name: .long, help: "The origin IP the CDN should connect to (flags DNS mismatches).") var originIp: String?
    @Option(name: .long, help: "Render with this Mustache template instead of the default.") var template: String?
    @Flag(name: .long, help: "Print the report model as JSON.") var json = false
    @Option(name: .long, help: "Write to FILE (atomically) instead of stdout; never one of the inputs.") var out: String?
    @OptionGroup var redaction: RedactOption
    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if week != nil && (since != nil || until != nil) { throw ValidationError("give either --week or --since/--until, not both") }
        if (since == nil) != (until == nil) { throw ValidationError("--since and --until go together") }
        if let w = week, ISOWeek(parsing: w) == nil {
            throw ValidationError("--week takes an ISO week such as 2026-W47 (weeks 01 to 52, or 53 in long years); got '\(w)'")
        }
        if !(slo > 0 && slo < 100) { throw ValidationError("--slo takes a percentage above 0 and below 100, such as 99.9") }
        _ = try parseRate(minRate)
        _ = try parseSeconds(mergeGap, name: "--merge-gap")
        if minErrors < 1 { throw ValidationError("--min-errors must be at least 1") }
    }

    func run() throws {
        var options: WeeklyOptions
        if let s = since, let u = until {
            let a = try parseTimeArgument(s, name: "--since"), b = try parseTimeArgument(u, name: "--until")
            if b <= a { throw ValidationError("--until must be after --since") }
            options = WeeklyOptions(startUs: a, endUs: b)
        } else if let w = week.flatMap(ISOWeek.init(parsing:)) {
            options = WeeklyOptions(week: w)
        } else {
            options = WeeklyOptions(week: ISOWeek.lastComplete(beforeUs: Int64(Date().timeIntervalSince1970 * 1_000_000)))
        }
        options.slo = slo
        options.site = historyOptions.site
        options.analyze.diagnosis.detection.minErrors = minErrors
        options.analyze.diagnosis.detection.minRate = try parseRate(minRate)
        options.analyze.diagnosis.detection.mergeGapSeconds = try parseSeconds(mergeGap, name: "--merge-gap")
        options.analyze.diagnosis.webServices.formUnion(service)
        options.analyze.diagnosis.expectedOriginIP = originIp
        var scan = try input.scanOptions()
        let progress = progressOptions.reporter()
        scan.progress = progress
        options.analyze.zone = scan.zone

        var templateText = TemplateRenderer.defaultTemplate("weekly.md.mustache")
        if let t = template {
            do { templateText = try TemplateRenderer.load(path: t) } catch { warn("\(error)"); throw ExitCode(1) }
        }
        let writer: OutputWriter
        do { writer = try OutputWriter(path: out, inputs: input.paths) } catch { warn("\(error)"); throw ExitCode(1) }

        var run = Weekly.run(paths: input.paths, scan: scan, options: options, historyPath: historyOptions.path)
        progress?.finish()
        // One redactor for the report and its postmortems: the same value, the same mask.
        var redactor = redaction.redact ? Analyzer.redactor(for: run.data, expectedOriginIP: originIp) : nil
        if redactor != nil {
            redactor!.apply(&run.data)      // the postmortems are built from it
            redactor!.apply(&run.report)
        }
        // Unreadable inputs, damage, unknown formats, each file's warnings, the history's
        // problem (capped, and redacted with --redact).
        for p in run.report.dataQuality.problems { warn(p) }
        let status = Analyzer.exitStatus(for: run.data)
        if status != 0 {
            warn("no input could be read")
            throw ExitCode(status)
        }

        if let dir = postmortems, run.report.hasIncidents {
            run.report = writePostmortems(run, dir: dir, options: options, redactor: &redactor)
        }
        if json {
            writer.write(Analyzer.json(run.report))
        } else {
            do { writer.write(try TemplateRenderer.render(run.report, template: templateText)) } catch { warn("\(error)"); throw ExitCode(1) }
        }
        do { try writer.commit() } catch { warn("\(error)"); throw ExitCode(1) }
    }

    /// Writes `DIR/<id>.md` for each incident (atomically) and links them from the report. A
    /// postmortem that cannot be written is reported and left unlinked.
    func writePostmortems(_ run: Weekly.Run, dir: String, options: WeeklyOptions, redactor: inout Redactor?) -> WeeklyReport {
        var report = run.report
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            warn("cannot create \(dir): \(error.localizedDescription); postmortems not written")
            return report
        }
        let template = TemplateRenderer.defaultTemplate("postmortem.md.mustache")
        let reportDir = out.flatMap { $0 == "-" ? nil : PathText.deletingLastComponent($0) } ?? "."
        var links: [String: String] = [:]
        for i in report.incidents {
            let path = PathText.appending(dir, i.id + ".md")
            var pm = Weekly.postmortem(for: i.id, data: run.data, options: options)
            redactor?.apply(&pm)
            do {
                let w = try OutputWriter(path: path, inputs: input.paths)
                w.write(try TemplateRenderer.render(pm, template: template))
                try w.commit()
                links[i.id] = WeeklyBuilder.relativePath(path, fromDir: reportDir.isEmpty ? "." : reportDir)
            } catch {
                warn("cannot write the postmortem of \(i.id): \(error)")
            }
        }
        WeeklyBuilder.link(&report, paths: links)
        return report
    }
}
