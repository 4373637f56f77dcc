import ArgumentParser
import OriginLens

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print origin events (OOM kills, crashes, failed restarts, firewall blocks…) as NDJSON in time order.",
        discussion: """
        One JSON object per line, merged across all files in time order. Kinds: \
        \(EventKind.allCases.map(\.rawValue).joined(separator: ", ")).
        """
    )

    @OptionGroup var input: InputOptions
    @Option(name: .long, help: "Only events of this kind (repeatable).") var kind: [String] = []
    @Option(name: .long, help: "Only events at or after this time (RFC 3339, date, or Unix seconds).") var since: String?
    @Option(name: .long, help: "Only events before this time.") var until: String?
    @Flag(name: .long, help: "Also print edge responses with status >= 500.") var edge = false
    @Option(name: .long, help: "Treat this unit/program as a web-serving service (repeatable).") var service: [String] = []
    @Option(name: .long, help: "Re-order window in seconds for files that are not time-sorted.") var reorderWindow: Int = 300
    @Option(name: .long, help: "Write to FILE (atomically) instead of stdout; never one of the inputs.") var out: String?
    @Option(name: .long, help: "With --redact: an origin address that stays readable (repeatable; the origin IPs of edge records stay too, from the first record that names them).") var originIp: [String] = []
    @OptionGroup var redaction: RedactOption

    func validate() throws {
        for k in kind where EventKind(rawValue: k) == nil {
            throw ValidationError("unknown kind '\(k)' (known: \(EventKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if reorderWindow < 0 { throw ValidationError("--reorder-window must be >= 0") }
        for ip in originIp where IPAddress(ip) == nil { throw ValidationError("--origin-ip '\(ip)' is not an IP address") }
    }

    func run() throws {
        var opts = EventMerger.Options()
        opts.includeEdge = edge
        opts.kinds = Set(kind.compactMap(EventKind.init(rawValue:)))
        opts.sinceUs = try since.map { try parseTimeArgument($0, name: "--since") }
        opts.untilUs = try until.map { try parseTimeArgument($0, name: "--until") }
        opts.reorderWindowUs = Int64(reorderWindow) * 1_000_000
        opts.extraServices = service
        let plan = InputPlan.make(paths: input.paths)
        let writer: OutputWriter
        do { writer = try OutputWriter(path: out, inputs: input.paths) } catch { warn("\(error)"); throw ExitCode(1) }
        let merger = try EventMerger(plan: plan, scanOptions: try input.scanOptions(), options: opts)
        var count = 0
        var redactor: Redactor? = redaction.redact ? Redactor(keepAddresses: originIp) : nil
        while let e = try merger.next() {
            switch e {
            case .origin(var o):
                redactor?.apply(&o)
                writer.write(o.jsonLine + "\n")
            case .edge(var x):
                redactor?.apply(&x)
                writer.write(x.jsonLine + "\n")
            }
            count += 1
        }
        do { try writer.commit() } catch { warn("\(error)"); throw ExitCode(1) }
        for p in merger.problems { warn(p.message) }
        for s in merger.stats {
            for w in s.warnings { warn("\(s.path): \(redactor?.text(w) ?? w)") }
        }
        if merger.lateEvents > 0 {
            warn("\(merger.lateEvents) event(s) arrived later than the re-order window and are out of order; raise --reorder-window")
        }
        if !merger.stats.contains(where: { $0.error == nil || $0.lines > 0 }) && !merger.problems.isEmpty { throw ExitCode(1) }
    }
}
