import ArgumentParser
import OriginLens

struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "Show what each input file is and how much of it was read.",
        discussion: """
        One row per file: detected format, gzip, rotation family, lines read, parsed, skipped by
        reason, first and last timestamp (UTC). Lines = parsed + skipped, always.
        """
    )

    @OptionGroup var input: InputOptions
    @Flag(name: .long, help: "Print JSON instead of a table.") var json = false
    @Option(name: .long, help: "Write to FILE (atomically) instead of stdout.") var out: String?
    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        var scan = try input.scanOptions()
        let progress = progressOptions.reporter()
        scan.progress = progress
        let report = FormatsReport.run(paths: input.paths, options: scan)
        progress?.finish()
        let writer: OutputWriter
        do { writer = try OutputWriter(path: out, inputs: input.paths) } catch { warn("\(error)"); throw ExitCode(1) }
        writer.write(json ? report.json() : report.table())
        do { try writer.commit() } catch { warn("\(error)"); throw ExitCode(1) }
        if !report.files.contains(where: { $0.error == nil || $0.lines > 0 }) && !report.problems.isEmpty {
            for p in report.problems { warn(p.message) }
            throw ExitCode(1)
        }
    }
}
