import Foundation
import Testing
@testable import OriginLens

/// Caps and linearity (issue 6, "Bounds"): evidence per incident, timeline rows, distinct hosts
/// and paths, warnings per file and the report's problem list are capped, and each says how
/// much it did not show; pathological input costs time in proportion to its size.
@Suite(.serialized) struct BoundsTests {
    /// An outage at 10:20–10:30 with `n` OOM kills of nginx in the ten minutes before it.
    func manyEventsDataset(_ n: Int) -> Dataset {
        var b = TrafficBuilder()
        b.steady(fromMin: 0, toMin: 20, perMinute: 30)
        b.steady(fromMin: 20, toMin: 30, perMinute: 30, status: 521)
        b.steady(fromMin: 30, toMin: 60, perMinute: 30)
        let events = (0..<n).map { i in
            event(.oomKill, at: 1195 - Double(n - i) * 5, service: "nginx", rule: "kernel-oom-kill",
                  text: "Out of memory: Killed process \(3000 + i) (nginx)", line: i + 1)
        }
        return Dataset(traffic: b.done(), events: events, files: [], problems: [])
    }

    @Test func evidenceAndTimelineSayWhatTheyLeaveOut() throws {
        let r = PostmortemBuilder.build(manyEventsDataset(80), options: AnalyzeOptions())
        let i = try #require(r.incidents.first)
        #expect(i.cause.mechanism == "oom-kill")
        #expect(i.evidence.count == 12)
        // 80 supporting events: 12 shown, 38 more kept by the diagnosis, 30 past its cap.
        #expect(i.evidenceNotShown == 68)
        // 80 events around the window: 30 in the timeline (beside the edge's 3 rows).
        #expect(i.timeline.count == 33)
        #expect(i.timelineNotShown == 50)
        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        #expect(md.contains("(68 more evidence line(s) not shown; `originlens events` lists every origin event.)"))
        #expect(md.contains("(50 more origin event(s) around the window not shown; `originlens events` lists every origin event.)"))
        // Under the caps, no note.
        let few = PostmortemBuilder.build(manyEventsDataset(5), options: AnalyzeOptions())
        #expect(few.incidents.first?.evidenceNotShown == 0)
        #expect(few.incidents.first?.timelineNotShown == 0)
        let fewMd = try TemplateRenderer.render(few, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        #expect(!fewMd.contains("not shown"))
    }

    @Test func warningsPerFileAreCountedPastTheCap() {
        var s = FileStats(path: "x.log", format: .nginxError)
        for i in 0..<(FileStats.maxWarnings + 7) { s.warn("warning \(i)") }
        #expect(s.warnings.count == FileStats.maxWarnings + 1)
        #expect(s.warnings.last == "… 7 more warning(s) not shown")
        #expect(s.warningsNotShown == 7)
        #expect(s.warnings[FileStats.maxWarnings - 1] == "warning 19")
    }

    @Test func theProblemListIsCappedWithACount() {
        var files: [FileStats] = []
        for i in 0..<150 { files.append(FileStats(path: "logs/empty-\(i).log", format: .unknown)) }
        let data = Dataset(traffic: TrafficAggregate(), events: [], files: files, problems: [])
        let r = PostmortemBuilder.build(data, options: AnalyzeOptions())
        #expect(r.problems.count == 101)
        #expect(r.problems.first == "logs/empty-0.log: empty file, nothing to read")
        #expect(r.problems.last == "… 50 more problem(s) not shown (every file's warnings are in the JSON report, under inputs)")
        #expect(r.inputs.count == 150)
    }

    /// Counts one 521 per distinct host (and path) into `agg`, `perMinute` hosts a minute.
    func add521s(_ agg: inout TrafficAggregate, hosts: Range<Int>, perMinute: Int = 16) {
        for i in hosts {
            var bytes = Array("h\(i).example.com/p/\(i)".utf8)
            let hostLen = "h\(i).example.com".utf8.count
            bytes.withUnsafeMutableBytes { buf in
                let b = UnsafeRawBufferPointer(buf)
                var r = EdgeRecord(timeUs: (TrafficBuilder.t0 / 1_000_000 + Int64(i / perMinute) * 60 + Int64(i % perMinute) * 60 / Int64(perMinute)) * 1_000_000, status: 521)
                r.originStatus = 0
                r.host = ByteField(UnsafeRawBufferPointer(rebasing: b[..<hostLen]))
                r.path = ByteField(UnsafeRawBufferPointer(rebasing: b[hostLen...]))
                agg.add(r)
            }
        }
    }

    @Test func distinctHostsPastTheTablesCapacityGoToOtherWithANote() throws {
        // Two partials of 30 000 hosts each (16 a minute, so no minute is over its own cap of 64):
        // merged, 50 000 are named, the 10 000 past the table's capacity are (other).
        var a = TrafficAggregate(), b = TrafficAggregate()
        add521s(&a, hosts: 0..<30_000)
        add521s(&b, hosts: 30_000..<60_000)
        a.merge(b)
        a.flush()
        #expect(a.hosts.count == a.hosts.capacity)
        #expect(a.hosts.overflowed == 10_000)
        #expect(a.paths.overflowed == 10_000)
        var perMinuteOther: Int64 = 0
        for (_, d) in a.minutes { perMinuteOther += Int64(d.hosts.otherA) }
        #expect(perMinuteOther == 10_000)
        let r = PostmortemBuilder.build(Dataset(traffic: a, events: [], files: [], problems: []), options: AnalyzeOptions())
        let i = try #require(r.incidents.first)
        #expect(i.errors521 == 60_000)
        let other = try #require(i.hosts.first { $0.key == "(other)" })
        #expect(other.count == 60_000 - 10)
        #expect(i.hosts.reduce(0) { $0 + $1.count } == 60_000)
        #expect(r.problems.contains("more than 50000 distinct hosts in the edge logs: those past the first 50000 are counted under (other)"))
        #expect(r.problems.contains("more than 50000 distinct paths in the edge logs: those past the first 50000 are counted under (other)"))
        // The minutes' own cap is not hit: no note about it.
        #expect(!r.assumptions.contains { $0.contains("distinct hosts or paths had 521s") })
        // Under the capacity: no note.
        var c = TrafficAggregate()
        add521s(&c, hosts: 0..<1000)
        c.flush()
        let rc = PostmortemBuilder.build(Dataset(traffic: c, events: [], files: [], problems: []), options: AnalyzeOptions())
        #expect(!rc.problems.contains { $0.contains("distinct") })
    }

    @Test func moreHostsInAMinuteThanItKeepsIsNoted() throws {
        // 100 hosts a minute for 10 minutes: each minute names 64, the other 36 are (other).
        var a = TrafficAggregate()
        add521s(&a, hosts: 0..<1000, perMinute: 100)
        a.flush()
        let r = PostmortemBuilder.build(Dataset(traffic: a, events: [], files: [], problems: []), options: AnalyzeOptions())
        let i = try #require(r.incidents.first)
        #expect(i.errors521 == 1000)
        #expect(i.hosts.reduce(0) { $0 + $1.count } == 1000)
        #expect(r.assumptions.contains("\(i.id): in 10 minute(s) more than 64 distinct hosts or paths had 521s; each minute names the first 64 it saw and counts the rest under (other), so the hosts and paths tables rank only those."))
        #expect(!r.problems.contains { $0.contains("distinct") })
    }

    // MARK: linearity

    /// Best timings of `small` and `large` (seconds), measured in turns so that a burst of load
    /// from elsewhere (tests run in parallel) does not fall on one size only.
    func timings(rounds: Int, small: () throws -> Void, large: () throws -> Void) rethrows -> (Double, Double) {
        var best = (Double.infinity, Double.infinity)
        func clock(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        for _ in 0..<rounds {
            best.0 = min(best.0, try clock(small))
            best.1 = min(best.1, try clock(large))
        }
        return best
    }

    /// Logpush 521 lines, each for another host and path, `perMinute` a minute; `compact`
    /// lines carry only the time, the status and the host (a million of them is 70 MB).
    func distinctHostsFile(_ dir: TempDir, _ n: Int, perMinute: Int, compact: Bool = false) -> String {
        let p = dir.path + "/hosts-\(n).json"
        writeStreaming(p) { emit in
            for i in 0..<n {
                let t = scenarioT0 + Int64(i / perMinute) * 60 + Int64(i % perMinute) * 60 / Int64(perMinute)
                let line = compact
                    ? #"{"EdgeStartTimestamp":\#(t),"EdgeResponseStatus":521,"ClientRequestHost":"h\#(i)"}"# + "\n"
                    : #"{"EdgeStartTimestamp":\#(t),"EdgeResponseStatus":521,"OriginResponseStatus":0,"ClientRequestHost":"host-\#(i).example.com","ClientRequestURI":"/p/\#(i)","EdgeColoCode":"FRA"}"# + "\n"
                Array(line.utf8).withUnsafeBytes(emit)
            }
        }
        return p
    }

    /// Distinct hosts under the host table's capacity (12 000 and 48 000, 50 a minute so that
    /// every one reaches the window's breakdown), through the whole of `analyze` (scanner,
    /// per-file partials and their merge, window shape, report): every host is a new key, so
    /// a quadratic interner, merge or breakdown would cost 16× for 4× the hosts; it must stay
    /// well under 8×.
    @Test func manyDistinctHostsCostLinearTime() throws {
        let dir = TempDir()
        let n = 12_000
        let small = distinctHostsFile(dir, n, perMinute: 50), large = distinctHostsFile(dir, 4 * n, perMinute: 50)
        var counted: (Int64, Int64) = (0, 0)
        var named = 0
        func run(_ p: String) -> Int64 {
            let r = Analyzer.run(paths: [p], scan: ScanOptions(), options: AnalyzeOptions()).0
            named = r.incidents.first?.hosts.count ?? 0
            return r.totals.errors521
        }
        let (t1, t4) = timings(rounds: 3, small: { counted.0 = run(small) }, large: { counted.1 = run(large) })
        #expect(counted == (Int64(n), Int64(4 * n)))
        #expect(named == 11)      // the top 10 and (other): one incident over all the hosts
        #expect(t4 / t1 < 8, "\(n) hosts: \(t1) s, \(4 * n): \(t4) s (×\(t4 / t1))")
    }

    /// Past the table's capacity (262 144 and a million distinct hosts; a few seconds in a
    /// debug build), through the scanner and the aggregate: the overflow path costs a constant
    /// per line.
    @Test func aMillionDistinctHostsCostLinearTime() throws {
        let dir = TempDir()
        let n = 262_144
        let small = distinctHostsFile(dir, n, perMinute: 3000, compact: true)
        let large = distinctHostsFile(dir, 4 * n, perMinute: 3000, compact: true)
        func scan(_ p: String) throws -> Int {
            let sc = try FileScanner(file: InputFile(path: p), options: ScanOptions())
            var agg = TrafficAggregate()
            while let item = try sc.next() { if case .edge(let r) = item { agg.add(r) } }
            agg.flush()
            #expect(agg.hosts.count == agg.hosts.capacity)
            return agg.edgeRecords
        }
        var counted = (0, 0)
        let (t1, t4) = try timings(rounds: 2, small: { counted.0 = try scan(small) }, large: { counted.1 = try scan(large) })
        #expect(counted == (n, 4 * n))
        #expect(t4 / t1 < 8, "\(n) hosts: \(t1) s, \(4 * n): \(t4) s (×\(t4 / t1))")
    }

    /// A line of a million quote characters (and lines that open a field with a valid prefix
    /// and then never close it) through every parser's sniff and parse, the line reader, the
    /// rule matcher and the report's text helpers: 4× the quotes must cost under 8× the time.
    @Test func longRunsOfQuotesCostLinearTime() throws {
        let prefixes = [
            "",
            #"{"ClientRequestHost":""#,
            #"{"EdgeStartTimestamp":1705314225,"EdgeResponseStatus":521,"ClientRequestUserAgent":"#,
            #"{"MESSAGE":""#,
            "EdgeStartTimestamp,EdgeResponseStatus,ClientRequestHost\n1705314225,521,",
            "2024/01/15 10:19:50 [error] 1#1: *1 ",
            #"203.0.113.7 - - [15/Jan/2024:10:19:50 +0000] "GET / HTTP/1.1" 200 12 "-" "#,
            "Jan 15 10:19:50 web1 nginx[1]: ",
            #"<165>1 2024-01-15T10:19:50Z web1 nginx 1 - [x a=""#,
            "[Mon Jan 15 10:19:50.123456 2024] [core:error] [pid 1] ",
        ]
        let matcher = RuleMatcher()
        func work(_ quotes: Int) throws {
            let run = [UInt8](repeating: UInt8(ascii: "\""), count: quotes)
            for p in prefixes {
                let line = Array(p.utf8) + run
                try line.withUnsafeBytes { buf in
                    for t in ParserRegistry.all {
                        _ = t.sniff(buf)
                        var parser = t.init(context: ParseContext(zone: .utc, years: YearTracker(explicitYear: 2024, referenceYear: 2024, referenceMonth: 1), path: "x"))
                        if case .origin(let rec) = parser.parse(buf) {
                            _ = matcher.match(rec, format: t.format, timeUs: rec.timeUs, source: "x", lineNumber: 1)
                        }
                    }
                    // The line reader over it, as a file would give it.
                    let lr = LineReader(source: MemorySource(Array(buf) + [0x0A]), maxLineBytes: 4 << 20)
                    _ = try readLines(lr)
                }
            }
            // The report's text helpers on a long hostile token.
            let text = String(repeating: "\"`|<", count: quotes / 16)
            _ = MarkdownText.escape(text)
            _ = MarkdownText.fenced(text)
            _ = TerminalText.clean(text)
            var r = Redactor()
            _ = r.text(text)
        }
        let n = 250_000
        let (t1, t4) = try timings(rounds: 3, small: { try work(n) }, large: { try work(4 * n) })
        #expect(t4 / t1 < 8, "\(n) quotes: \(t1) s, \(4 * n): \(t4) s (×\(t4 / t1))")
    }
}
