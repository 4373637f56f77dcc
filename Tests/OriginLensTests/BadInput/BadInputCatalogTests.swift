import Foundation
import Testing
@testable import OriginLens

/// The bad-input catalog of issue 6: one case per item. Each runs the bad input beside a healthy
/// scenario (an edge log with a 10-minute 521 incident and the origin syslog that explains it)
/// through `Analyzer.run` — the library behind `originlens analyze` — and asserts the message,
/// the accounting, that the scenario's incident is still found unchanged, and the exit status
/// (`Analyzer.exitStatus`, which the command returns).
@Suite struct BadInputCatalogTests {
    // MARK: files that hold nothing

    @Test func emptyFile() {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let empty = dir.write("bad/empty.log", "")
        let run = analyze(s.paths + [empty])
        let f = run.file("empty.log")
        #expect(f?.lines == 0)
        #expect(f?.format == .unknown)
        #expect(f?.error == nil)
        #expect(f?.warnings == ["empty file: no lines to read"])
        #expect(run.problems(containing: "empty.log: empty file, nothing to read").count == 1)
        #expect(run.report.inputs.contains { $0.path == empty && $0.lines == 0 })
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
        // Alone, an empty file was still read: a report (with no incident) is written.
        let alone = analyze([empty])
        #expect(alone.exitStatus == 0)
        #expect(!alone.report.hasIncidents)
    }

    @Test func directoryWithNoLogs() {
        let dir = TempDir()
        let s = Scenario(in: dir)
        try? FileManager.default.createDirectory(atPath: dir.path + "/bad/nothing/sub", withIntermediateDirectories: true)
        dir.write("bad/nothing/.hidden.log", scenarioSyslog)
        let run = analyze(s.paths + [dir.path + "/bad/nothing"])
        #expect(run.problems(containing: "no log files found in \(dir.path)/bad/nothing (hidden files are skipped)").count == 1)
        #expect(run.data.files.count == 2)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
        // Alone: nothing could be read → exit status 1.
        let alone = analyze([dir.path + "/bad/nothing"])
        #expect(alone.data.files.isEmpty)
        #expect(alone.exitStatus == 1)
    }

    @Test func missingPath() {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let missing = dir.path + "/bad/no-such.log"
        let run = analyze(s.paths + [missing])
        #expect(run.report.problems.first == "cannot read \(missing): no such file or directory (check the path)")
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
        #expect(analyze([missing]).exitStatus == 1)
    }

    /// Tests run as root here, so `chmod 000` does not stop a read. Two real failures instead:
    /// `/proc/self/mem`, a regular file that opens and then fails its first read with EIO, and
    /// (library path) an injected source that fails half-way through a file.
    @Test func unreadableFile() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let run = analyze(s.paths + ["/proc/self/mem"])
        let f = run.file("/proc/self/mem")
        #expect(f?.error == "cannot read /proc/self/mem: Input/output error")
        #expect(run.report.inputs.contains { $0.path == "/proc/self/mem" && $0.format == "error" })
        #expect(run.problems(containing: "cannot read /proc/self/mem: Input/output error").count == 1)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
        #expect(analyze(["/proc/self/mem"]).exitStatus == 1)

        // Half-way: the lines before the error count, the file says where it stopped.
        let lines = (0..<3000).map { "2024/01/15 10:\(String(format: "%02d", $0 / 60)):\(String(format: "%02d", $0 % 60)) [alert] 1980#1980: worker process \($0) exited on signal 9" }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let opened = try InputOpener.wrap(FailingSource(bytes, failAfter: bytes.count * 2 / 3))
        let sc = try FileScanner(file: InputFile(path: "disk/error.log"), opened: opened,
                                 options: ScanOptions(), yearReference: (2024, 1))
        var part = Ingestor.Partial(traffic: TrafficAggregate())
        let st = Ingestor.readFile(sc, into: &part, matcher: RuleMatcher(extraServices: []), options: Ingestor.Options())
        #expect(st.format == .nginxError)
        #expect(st.lines > 1000 && st.lines < 3000)
        #expect(st.lines == st.parsed + st.skippedTotal)
        #expect(part.events.count == st.parsed)
        #expect(st.error?.hasPrefix("cannot read injected: Input/output error (after line ") == true)
        #expect(st.error?.hasSuffix("the \(st.lines) line(s) before it were read)") == true)
        #expect(part.problems.count == 1)
        var data = Dataset(traffic: part.traffic, events: part.events, files: [st], problems: part.problems)
        #expect(Analyzer.exitStatus(for: data) == 0)   // something was read
        data.files[0].lines = 0
        #expect(Analyzer.exitStatus(for: data) == 1)
        #expect(PostmortemBuilder.inputEntry(st).format == "nginx-error")
    }

    // MARK: gzip damage

    /// The scenario's syslog gzipped with two members: the first holds the OOM kill, the
    /// second the start.
    private func twoMemberSyslog() -> (first: [UInt8], second: [UInt8]) {
        let lines = scenarioSyslog.split(separator: "\n").map(String.init)
        return (GzipWriter.compress(lines[0] + "\n"), GzipWriter.compress(lines[1] + "\n"))
    }

    @Test func truncatedGzip() {
        let dir = TempDir()
        let s = Scenario(in: dir)
        // 2000 nginx lines, gzipped, cut in the middle of the stream.
        var text = ""
        for i in 0..<2000 { text += "2024/01/15 09:\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60)) [warn] 1#1: *\(i) an upstream response is buffered to a temporary file\n" }
        let gz = GzipWriter.compress(text)
        let cut = Array(gz[..<(gz.count / 2)])
        let p = dir.write("bad/error.log.2.gz", cut)
        let run = analyze(s.paths + [p])
        let f = run.file("error.log.2.gz")
        #expect(f?.gzip == true)
        #expect(f?.format == .nginxError)
        #expect((f?.lines ?? 0) > 100 && (f?.lines ?? 0) < 2000)
        // Every line before the damage; the last, cut by the damage, may not parse.
        #expect((f?.parsed ?? 0) >= (f?.lines ?? 0) - 1)
        let w = f?.warnings.first { $0.hasPrefix("truncated gzip stream: data ends inside a member at compressed byte offset \(cut.count)") }
        #expect(w != nil)
        #expect(run.problems(containing: "error.log.2.gz: truncated gzip stream").count == 1)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    @Test func gzipWithTrailingGarbage() {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let gz = GzipWriter.compress(scenarioSyslog)
        let p = dir.write("origin2/syslog.1.gz", gz + Array("GARBAGE after the member\n".utf8), mtime: scenarioMtime)
        let z = dir.write("origin2/syslog.2.gz", gz + [UInt8](repeating: 0, count: 512), mtime: scenarioMtime)
        let run = analyze([s.edge, p, z])
        let f = run.file("syslog.1.gz")
        #expect(f?.lines == 2 && f?.parsed == 2)
        #expect(f?.warnings == ["trailing garbage after gzip member 1 at compressed byte offset \(gz.count): 25 bytes ignored"])
        // Zero padding (tar, dd) is named as such.
        #expect(run.file("syslog.2.gz")?.warnings == ["zero padding after gzip member 1 at compressed byte offset \(gz.count): 512 bytes ignored"])
        #expect(run.problems(containing: "trailing garbage after gzip member 1").count == 1)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    @Test func zeroLengthGzipMember() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let (a, b) = twoMemberSyslog()
        let empty = GzipWriter.compress("")
        let p = dir.write("origin2/syslog.1.gz", empty + a + empty + empty + b + empty, mtime: scenarioMtime)
        // A zero-byte file named .gz is an empty file, not damage.
        let zero = dir.write("bad/access.log.3.gz", [])
        let run = analyze([s.edge, p, zero])
        let f = run.file("syslog.1.gz")
        #expect(f?.lines == 2 && f?.parsed == 2)
        #expect(f?.warnings == [])
        #expect(run.file("access.log.3.gz")?.warnings == ["empty file: no lines to read"])
        let g = try InputOpener.openSource(path: p)
        _ = try readAll(g.source, chunk: 4096)
        #expect(g.gzipSource?.members == 6)
        #expect(g.gzipSource?.damaged == false)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    @Test func gzipWithBadCRC() {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let (a, b) = twoMemberSyslog()
        var bad = b
        bad[bad.count - 8] ^= 0xFF      // first byte of the second member's CRC-32
        let p = dir.write("origin2/syslog.1.gz", a + bad, mtime: scenarioMtime)
        let run = analyze([s.edge, p])
        let f = run.file("syslog.1.gz")
        // Both lines were inflated before the trailer was checked: they count.
        #expect(f?.lines == 2 && f?.parsed == 2)
        #expect(f?.warnings.count == 1)
        #expect(f?.warnings.first?.hasPrefix("corrupt gzip data at compressed byte offset ") == true)
        #expect(f?.warnings.first?.contains("incorrect data check") == true)
        #expect(run.problems(containing: "syslog.1.gz: corrupt gzip data").count == 1)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    // MARK: bytes that are not text

    @Test func binaryFile() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        // Deterministic junk (xorshift), so that a failure can be replayed.
        var x: UInt64 = 0x9E3779B97F4A7C15
        var junk = [UInt8](repeating: 0, count: 300_000)
        for i in junk.indices { x ^= x << 13; x ^= x >> 7; x ^= x << 17; junk[i] = UInt8(truncatingIfNeeded: x >> 32) }
        junk[0] = 0x1B; junk[1] = 0x5B; junk[2] = 0x33; junk[3] = 0x31; junk[4] = 0x6D   // ESC[31m first
        let p = dir.write("bad/core.dump", junk)
        let run = analyze(s.paths + [p])
        let f = run.file("core.dump")
        #expect(f?.format == .unknown)
        #expect(f?.parsed == 0)
        #expect((f?.lines ?? 0) > 100)
        #expect(f?.lines == f?.skippedTotal)
        let problem = run.problems(containing: "core.dump: format not recognised (")
        #expect(problem.count == 1)
        // The sample is quoted in the report and on stderr, cleaned of control characters: it
        // carries no escape, and no raw control byte.
        let quoted = try #require(problem.first)
        #expect(!quoted.contains("\u{1B}"))
        #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) })
        #expect(quoted.contains("[31m"))
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    @Test func nulBytes() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        // A crash left a hole of NULs (a preallocated, never written extent) in nginx's error
        // log: the next line was written right after it. Another hole ends with a newline; one
        // message holds a NUL of its own.
        var b = Array("2024/01/15 10:19:50 [alert] 1980#1980: worker process 2201 exited on signal 9\n".utf8)
        b += [UInt8](repeating: 0, count: 4096)
        b += Array("2024/01/15 10:19:51 [alert] 1980#1980: worker process 2202 exited on signal 9\u{0}tail\n".utf8)
        b += [UInt8](repeating: 0, count: 100) + [0x0A]
        b += Array("2024/01/15 10:19:52 [alert] 1980#1980: worker process 2203 exited on signal 9\n".utf8)
        let p = dir.write("bad/nginx/error.log", b)
        let run = analyze(s.paths + [p])
        let f = try #require(run.file("nginx/error.log"))
        #expect(f.format == .nginxError)
        #expect(f.lines == 4)
        #expect(f.parsed == 3)
        #expect(f.skipped == ["malformed": 1])
        #expect(f.warnings == ["2 run(s) of NUL bytes skipped (first at line 2): the file has holes, as a crash or a full disk leaves them; the lines around them were read"])
        #expect(run.problems(containing: "nginx/error.log: 2 run(s) of NUL bytes").count == 1)
        let ev = run.data.events.filter { $0.source == p }
        #expect(ev.count == 3)
        #expect(ev.contains { $0.text == "worker process 2202 exited on signal 9\u{0}tail" })
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    @Test func invalidUTF8() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        var b = Array("2024/01/15 10:19:50 [emerg] 3120#3120: unknown directive \"".utf8)
        b += [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82]          // invalid sequences
        b += Array("\" in /etc/nginx/nginx.conf:12\n".utf8)
        b += [0xC0, 0xAF, 0xED, 0xA0, 0x80, 0x0A]          // a line of nothing but invalid bytes
        b += Array("2024/01/15 10:19:52 [alert] 1980#1980: worker process 2203 exited on signal 9\n".utf8)
        let p = dir.write("bad/nginx/error.log", b)
        let run = analyze(s.paths + [p])
        let f = try #require(run.file("nginx/error.log"))
        #expect(f.format == .nginxError)
        #expect(f.lines == 3)
        #expect(f.parsed == 2)
        let ev = try #require(run.data.events.first { $0.source == p && $0.kind == .configError })
        // Kept as text, the bad bytes repaired (U+FFFD), never a crash.
        #expect(ev.text.hasPrefix("unknown directive \"\u{FFFD}\u{FFFD}"))
        #expect(ev.text.hasSuffix("\" in /etc/nginx/nginx.conf:12"))
        // Counted and named: the line of nothing but invalid bytes has no timestamp, and nginx
        // takes such a line for the previous message's continuation; the event whose text
        // holds U+FFFD is named in the file's warnings and the problem list.
        #expect(f.skipped == ["continuation": 1])
        let warning = "1 origin event line(s) hold bytes that are not valid UTF-8 (first at line 1); they were read on their bytes and are shown with U+FFFD (�) in their place"
        #expect(f.warnings == [warning])
        #expect(run.problems(containing: "nginx/error.log: " + warning).count == 1)
        // Valid text is not counted, a literal (valid) U+FFFD neither.
        let literal = dir.write("bad/literal/error.log", "2024/01/15 10:19:52 [alert] 1980#1980: worker process 2203 exited on signal 9 \u{FFFD}\n")
        #expect(analyze([literal]).file("literal/error.log")?.warnings == [])
        #expect(run.file("logpush-20240115.json")?.warnings == [])
        #expect(run.file("origin/syslog")?.warnings == [])
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    // MARK: size

    /// 100 MB in one line (streamed to disk, never held whole): counted as too long, skipped
    /// as it streams past; the lines around it are read.
    @Test func hundredMegabyteLine() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let p = dir.path + "/bad/huge/error.log"
        try FileManager.default.createDirectory(atPath: dir.path + "/bad/huge", withIntermediateDirectories: true)
        let size = 100 * 1024 * 1024
        writeStreaming(p) { emit in
            let head = Array("2024/01/15 10:19:50 [alert] 1980#1980: worker process 2201 exited on signal 9\n2024/01/15 10:19:51 [error] 1#1: *7 client sent ".utf8)
            head.withUnsafeBytes(emit)
            let chunk = [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20)
            var left = size
            while left > 0 {
                let n = min(left, chunk.count)
                chunk.withUnsafeBytes { emit(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                left -= n
            }
            Array("\n2024/01/15 10:19:52 [alert] 1980#1980: worker process 2203 exited on signal 9\n".utf8).withUnsafeBytes(emit)
        }
        let started = Date()
        let run = analyze(s.paths + [p])
        let f = try #require(run.file("huge/error.log"))
        #expect(f.lines == 3)
        #expect(f.parsed == 2)
        #expect(f.skipped == ["too-long": 1])
        #expect(f.bytes > Int64(size))
        #expect(f.warnings == ["1 line(s) longer than the limit skipped (line 2); raise --max-line-bytes to read them"])
        #expect(run.problems(containing: "huge/error.log: 1 line(s) longer than the limit").count == 1)
        #expect(Date().timeIntervalSince(started) < 30)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    /// Ten million tiny lines (20 MB, streamed): every one counted.
    @Test func tenMillionTinyLines() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let p = dir.path + "/bad/tiny.log"
        try FileManager.default.createDirectory(atPath: dir.path + "/bad", withIntermediateDirectories: true)
        let count = 10_000_000
        writeStreaming(p) { emit in
            let block = [UInt8](repeating: 0, count: 2 * 65_536).enumerated().map { $0.offset % 2 == 0 ? UInt8(ascii: "x") : 0x0A }
            var left = count
            while left > 0 {
                let n = min(left, block.count / 2)
                block.withUnsafeBytes { emit(UnsafeRawBufferPointer(rebasing: $0[..<(2 * n)])) }
                left -= n
            }
        }
        let started = Date()
        let run = analyze(s.paths + [p])
        let elapsed = Date().timeIntervalSince(started)
        let f = try #require(run.file("tiny.log"))
        #expect(f.lines == count)
        #expect(f.skipped == ["unrecognized": count])
        #expect(f.bytes == Int64(2 * count))
        #expect(run.problems(containing: "tiny.log: format not recognised (10000000 lines not read); first line: x").count == 1)
        #expect(elapsed < 20, "10M tiny lines took \(elapsed) s")
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    // MARK: line structure

    @Test func crlfLineEndings() {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let crlfEdge = dir.write("crlf/edge/logpush.json", scenarioEdgeLog().replacingOccurrences(of: "\n", with: "\r\n"))
        let crlfSyslog = dir.write("crlf/origin/syslog", scenarioSyslog.replacingOccurrences(of: "\n", with: "\r\n"), mtime: scenarioMtime)
        let run = analyze([crlfEdge, crlfSyslog])
        #expect(run.file("edge/logpush.json")?.parsed == 1200)
        #expect(run.file("crlf/origin/syslog")?.parsed == 2)
        // No `\r` reaches the evidence.
        #expect(run.report.incidents.first?.evidence.allSatisfy { !$0.text.contains("\r") } == true)
        #expect(run.report.incidentCount == 1)
        #expect(run.report.incidents.first?.errors521 == 300)
        #expect(run.report.incidents.first?.cause.mechanism == "oom-kill")
        #expect(run.exitStatus == 0)
        // Beside the LF scenario: the CRLF copies read the same (twice the 521s).
        let both = analyze(s.paths + [crlfEdge])
        #expect(both.report.incidents.first?.errors521 == 600)
    }

    @Test func twoFormatsMixedInOneFile() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        // nginx and Apache both logging into one file (a shared error log).
        let p = dir.write("bad/mixed/error.log", """
        2024/01/15 10:19:50 [alert] 1980#1980: worker process 2201 exited on signal 9
        [Mon Jan 15 10:19:51.123456 2024] [core:notice] [pid 2290:tid 139] AH00051: child pid 2291 exit signal Segmentation fault (11), possible coredump in /etc/apache2
        2024/01/15 10:19:52 [alert] 1980#1980: worker process 2203 exited on signal 9
        [Mon Jan 15 10:19:53.000001 2024] [mpm_event:notice] [pid 2290:tid 139] AH00491: caught SIGTERM, shutting down
        this line is neither

        """)
        let run = analyze(s.paths + [p])
        let f = try #require(run.file("mixed/error.log"))
        #expect(f.format == .nginxError)
        #expect(f.lines == 5)
        #expect(f.parsed == 4)
        #expect(f.mixed == ["apache-error": 2])
        // nginx takes a line without a timestamp for the previous message's continuation.
        #expect(f.skipped == ["continuation": 1])
        let kinds = run.data.events.filter { $0.source == p }.map { "\($0.service ?? "-")/\($0.kind.rawValue)" }
        #expect(kinds.contains("apache/crash"))
        #expect(kinds.contains("nginx/crash"))
        // Named where the formats are listed.
        let formats = FormatsReport.run(paths: [p], options: ScanOptions()).table()
        #expect(formats.contains("mixed file, lines read by other parsers: apache-error=2"), "\(formats)")
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    // MARK: time

    @Test func timestampsOutOfOrder() {
        let dir = TempDir()
        // The scenario's edge log, lines shuffled (Logpush batches arrive in any order).
        var lines = scenarioEdgeLog().split(separator: "\n").map(String.init)
        var g = SplitMix(seed: 1_705_312_800)      // fixed: a failure replays
        lines.shuffle(using: &g)
        let shuffled = dir.write("shuffled/edge/logpush.json", lines.joined(separator: "\n") + "\n")
        let origin = dir.write("shuffled/origin/syslog", scenarioSyslog, mtime: scenarioMtime)
        let run = analyze([shuffled, origin])
        let f = run.file("logpush.json")
        #expect(f?.parsed == 1200)
        #expect((f?.outOfOrder ?? 0) > 100)
        #expect(f?.firstUs == scenarioT0 * 1_000_000)
        #expect(f?.lastUs == (scenarioT0 + 39 * 60 + 58) * 1_000_000)
        #expect(run.report.incidentCount == 1)
        #expect(run.report.incidents.first?.id == "OL-20240115-1020")
        #expect(run.report.incidents.first?.errors521 == 300)
        #expect(run.report.incidents.first?.cause.mechanism == "oom-kill")
        #expect(run.exitStatus == 0)
    }

    @Test func timestampsIn1970AndInTheFuture() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let p = dir.write("bad/clock/logpush.json", [
            logpushLine(0, status: 521),                          // 1970-01-01T00:00:00Z
            logpushLine(86_400 * 3, status: 200),                 // 1970-01-04
            logpushLine(4_102_444_800, status: 521),              // 2100-01-01
            logpushLine(scenarioT0 + 30, status: 200),
        ].joined(separator: "\n") + "\n")
        let run = analyze(s.paths + [p])
        let f = try #require(run.file("clock/logpush.json"))
        #expect(f.parsed == 4)
        #expect(f.implausibleTimes == 3)
        #expect(f.firstUs == 0)
        #expect(f.lastUs == 4_102_444_800_000_000)
        #expect(f.warnings.contains("3 record(s) have implausible timestamps, before 2000 or more than a day in the future (first at line 1: 1970-01-01T00:00:00Z); they are kept as they are: check the clock of the machine that wrote them, or use --since/--until"))
        #expect(run.problems(containing: "clock/logpush.json: 3 record(s) have implausible timestamps").count == 1)
        #expect(run.report.dataStart == "1970-01-01T00:00:00Z")
        #expect(run.report.dataEnd == "2100-01-01T00:00:00Z")
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
        // --since/--until leave them out.
        var o = AnalyzeOptions()
        o.sinceUs = scenarioT0 * 1_000_000
        o.untilUs = (scenarioT0 + 3600) * 1_000_000
        let bounded = analyze(s.paths + [p], options: o)
        #expect(bounded.data.outOfRange == 3)
        #expect(bounded.report.dataStart == "2024-01-15T10:00:00Z")
        expectScenarioUnaffected(bounded)
    }

    @Test func logpushLinesWithMissingFieldsOrWrongTypes() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let t = scenarioT0 + 25 * 60
        let p = dir.write("bad/edge/batch.json", [
            logpushLine(t, status: 521),
            #"{"EdgeStartTimestamp":\#(t),"OriginResponseStatus":0,"ClientRequestHost":"www.example.com"}"#,   // no status
            #"{"EdgeResponseStatus":521,"OriginResponseStatus":0,"ClientRequestHost":"www.example.com"}"#,      // no time
            #"{"EdgeStartTimestamp":true,"EdgeResponseStatus":521}"#,                                            // time is a bool
            #"{"EdgeStartTimestamp":"yesterday","EdgeResponseStatus":521}"#,                                     // time is a word
            #"{"EdgeStartTimestamp":\#(t),"EdgeResponseStatus":"five-twenty-one"}"#,                              // status is a word
            #"{"EdgeStartTimestamp":\#(t),"EdgeResponseStatus":{"code":521}}"#,                                   // status is an object
            #"{"EdgeStartTimestamp":\#(t),"EdgeResponseStatus":99999999999999999999999}"#,                        // status overflows
            #"{"EdgeStartTimestamp":\#(t),"EdgeResponseStatus":521,"ClientRequestHost":["a","b"],"EdgeColoCode":17}"#, // odd types in optional fields
            #"{"EdgeStartTimestamp":\#(t),"EdgeResponseStatus":521,"ClientRequestHost":"www.example.com""#,       // cut
            logpushLine(t + 1, status: 521),
        ].joined(separator: "\n") + "\n")
        let run = analyze(s.paths + [p])
        let f = try #require(run.file("edge/batch.json"))
        #expect(f.format == .cloudflareJSON)
        #expect(f.lines == 11)
        #expect(f.lines == f.parsed + f.skippedTotal)
        // The two complete lines, and the one whose optional fields have odd types.
        #expect(f.parsed == 3)
        #expect((f.skipped["malformed"] ?? 0) + (f.skipped["bad-timestamp"] ?? 0) == 8)
        #expect((f.skipped["bad-timestamp"] ?? 0) >= 2)
        // Named, with the first line that could not be read.
        let named = try #require(f.warnings.first { $0.hasPrefix("8 line(s) could not be read as cloudflare-json (") })
        #expect(named.hasSuffix("first at line 2); `originlens formats` counts them by reason"))
        #expect(run.problems(containing: "8 line(s) could not be read as cloudflare-json").count == 1)
        // The scenario now has 3 more 521s in its window, nothing else changes.
        #expect(run.report.incidents.first?.errors521 == 303)
        #expect(run.report.incidents.first?.cause.mechanism == "oom-kill")
        #expect(run.exitStatus == 0)
    }

    // MARK: journal export damage

    @Test func journalExportBinaryFieldLongerThanTheFile() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let us = (scenarioT0 + 19 * 60 + 50) * 1_000_000
        var b = JournalExport.entry(realtimeUs: us, message: "Out of memory: Killed process 3001 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0")
        // The next entry's binary MESSAGE claims 4096 bytes; the file ends after 10.
        b += JournalExport.text("__CURSOR", "s=1;i=2")
        b += JournalExport.text("__REALTIME_TIMESTAMP", String(us + 1_000_000))
        b += JournalExport.binary("MESSAGE", Array("0123456789".utf8), claimedLength: 4096, terminator: false)
        let p = dir.write("bad/journal/cut.export", b)
        // … and one claiming 2^62 bytes: read and discarded to the end, never allocated.
        var huge = JournalExport.entry(realtimeUs: us, message: "kernel: first entry")
        huge += JournalExport.text("__CURSOR", "s=1;i=3")
        huge += JournalExport.binary("MESSAGE", Array("abc".utf8), claimedLength: 1 << 62, terminator: false)
        let q = dir.write("bad/journal/absurd.export", huge)
        let run = analyze(s.paths + [p, q])
        let f = try #require(run.file("cut.export"))
        #expect(f.format == .journalExport)
        #expect(f.lines == 2)
        #expect(f.parsed == 1)
        #expect(f.skipped == ["malformed": 1])
        #expect(f.warnings.contains { $0.hasPrefix("journal export entry at line 10 (byte offset ") && $0.contains("is cut: the data ends inside a field at byte offset \(b.count); entry skipped") })
        #expect(run.data.events.contains { $0.source == p && $0.kind == .oomKill })
        let g = try #require(run.file("absurd.export"))
        #expect(g.lines == 2)
        #expect(g.parsed == 1)
        #expect(g.skipped == ["too-long": 1])
        #expect(g.warnings.contains { $0.hasPrefix("too-long journal export entry at line 10") && $0.contains("is cut") })
        #expect(run.problems(containing: "absurd.export: 1 line(s) longer than the limit").count == 1)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    @Test func journalExportCutMidField() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let us = (scenarioT0 + 19 * 60 + 50) * 1_000_000
        let whole = JournalExport.entry(realtimeUs: us, message: "Out of memory: Killed process 3001 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0")
        let next = JournalExport.entry(realtimeUs: us + 1_000_000, message: "Out of memory: Killed process 3002 (php-fpm8.2) total-vm:1kB")
        // Cut inside the second entry's MESSAGE text line, and (second file) inside the 8
        // length bytes of a binary field.
        let p = dir.write("bad/journal/cut-text.export", whole + next[..<(next.count - 20)])
        let lenCut = whole + JournalExport.text("__CURSOR", "s=1;i=9") + Array("MESSAGE\n".utf8) + [0x05, 0x00, 0x00]
        let q = dir.write("bad/journal/cut-length.export", lenCut)
        let run = analyze(s.paths + [p, q])
        for (name, size) in [("cut-text.export", whole.count + next.count - 20), ("cut-length.export", lenCut.count)] {
            let f = try #require(run.file(name))
            #expect(f.format == .journalExport, "\(name)")
            #expect(f.lines == 2, "\(name)")
            #expect(f.parsed == 1, "\(name)")
            #expect(f.skipped == ["malformed": 1], "\(name)")
            #expect(f.warnings.contains { $0.contains("is cut: the data ends inside a field at byte offset \(size); entry skipped") }, "\(name)")
            #expect(run.problems(containing: "\(name): journal export entry at line 10").count == 1, "\(name)")
        }
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    // MARK: calendar

    @Test func syslogAcrossNewYear() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        // Written on New Year's night; the file was last modified on 2024-01-01.
        let p = dir.write("bad/ny/syslog", """
        Dec 31 23:59:58 web1 kernel: Out of memory: Killed process 1111 (nginx) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:1kB oom_score_adj:0
        Jan  1 00:00:02 web1 systemd[1]: Started nginx.service - A high performance web server and a reverse proxy server.

        """, mtime: Date(timeIntervalSince1970: 1_704_067_800))   // 2024-01-01T00:10:00Z
        let run = analyze(s.paths + [p])
        let f = try #require(run.file("ny/syslog"))
        #expect(f.parsed == 2)
        #expect(f.firstUs == 1_704_067_198_000_000)   // 2023-12-31T23:59:58Z
        #expect(f.lastUs == 1_704_067_202_000_000)    // 2024-01-01T00:00:02Z
        #expect(f.outOfOrder == 0)
        #expect(f.warnings == [])
        #expect(run.data.events.filter { $0.source == p }.map(\.timeUs) == [1_704_067_198_000_000, 1_704_067_202_000_000])
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    @Test func localTimesInDSTGapAndOverlap() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        // Berlin: 2024-03-31 02:00→03:00 does not exist; 2024-10-27 02:00–03:00 happens twice.
        let p = dir.write("bad/dst/error.log", """
        2024/03/31 01:59:00 [alert] 1#1: worker process 1 exited on signal 9
        2024/03/31 02:30:00 [alert] 1#1: worker process 2 exited on signal 9
        2024/03/31 03:01:00 [alert] 1#1: worker process 3 exited on signal 9
        2024/10/27 02:30:00 [alert] 1#1: worker process 4 exited on signal 9
        2024/10/27 02:59:00 [alert] 1#1: worker process 5 exited on signal 9
        2024/10/27 02:10:00 [alert] 1#1: worker process 6 exited on signal 9
        2024/10/27 03:00:00 [alert] 1#1: worker process 7 exited on signal 9

        """)
        var scan = ScanOptions()
        scan.zone = .named("Europe/Berlin")
        let run = analyze(s.paths + [p], scan: scan)
        let f = try #require(run.file("dst/error.log"))
        #expect(f.parsed == 7)
        #expect(f.dstGaps == 1)
        #expect(f.dstAmbiguous == 3)
        #expect(f.warnings.contains("1 local time(s) fell into a DST gap (they do not exist in Europe/Berlin); read with the offset before the change"))
        #expect(f.warnings.contains("3 local time(s) fell into a DST overlap in Europe/Berlin; placed by the order of the lines"))
        func utc(_ s: String) -> Int64 { UnsafeRawBufferPointer.withBytes(of: s) { CivilTime.parseISO($0, at: 0)!.us } }
        // (Events are in time order; the gap line reads as 01:30 UTC, after 03:01's 01:01.)
        let times = run.data.events.filter { $0.source == p }.map(\.timeUs)
        #expect(times.count == 7 && times.sorted() == times)
        #expect(Set(times) == [
            utc("2024-03-31T00:59:00Z"), utc("2024-03-31T01:30:00Z"), utc("2024-03-31T01:01:00Z"),
            utc("2024-10-27T00:30:00Z"), utc("2024-10-27T00:59:00Z"), utc("2024-10-27T01:10:00Z"), utc("2024-10-27T02:00:00Z"),
        ])
        // The scenario's syslog is read in Berlin time too (its OOM kill moves an hour earlier,
        // out of the lookback); the edge's incident is unchanged.
        #expect(run.report.incidentCount == 1)
        #expect(run.report.incidents.first?.errors521 == 300)
        #expect(run.exitStatus == 0)
    }

    // MARK: the file system

    @Test func symlinkLoop() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir.path + "/bad/loops/sub", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: dir.path + "/bad/loops/a", withDestinationPath: "b")
        try fm.createSymbolicLink(atPath: dir.path + "/bad/loops/b", withDestinationPath: "a")
        try fm.createSymbolicLink(atPath: dir.path + "/bad/loops/sub/up", withDestinationPath: "..")
        dir.write("bad/loops/sub/error.log", "2024/01/15 10:19:50 [alert] 1980#1980: worker process 2201 exited on signal 9\n")
        let run = analyze(s.paths + [dir.path + "/bad/loops"])
        let loops = run.problems(containing: "symbolic link loop")
        #expect(loops.contains("skipped \(dir.path)/bad/loops/a: symbolic link loop"))
        #expect(loops.contains("skipped \(dir.path)/bad/loops/b: symbolic link loop"))
        #expect(loops.contains("skipped \(dir.path)/bad/loops/sub/up: symbolic link loop"))
        // The real file is read once, not once per trip round the loop.
        #expect(run.data.files.filter { $0.path.hasSuffix("error.log") }.count == 1)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
    }

    /// A FIFO inside a directory is skipped; `/dev/null` and `/dev/zero` given by name are
    /// refused (a device is no log); a named FIFO given by name is read like stdin once a
    /// writer opens it, and skipped after `fifoWaitSeconds` when none does — never a hang; an
    /// anonymous pipe (`<(cmd)`, `/dev/fd/N`) is read without waiting.
    @Test func fifoAndDeviceFilesAmongTheInputs() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        try FileManager.default.createDirectory(atPath: dir.path + "/bad/pipes", withIntermediateDirectories: true)
        let inDir = dir.path + "/bad/pipes/console"
        let lonely = dir.path + "/lonely.fifo"
        let fed = dir.path + "/fed.fifo"
        #expect(mkfifo(inDir, 0o600) == 0)
        #expect(mkfifo(lonely, 0o600) == 0)
        #expect(mkfifo(fed, 0o600) == 0)
        // A writer for `fed` that shows up after a moment.
        let body = scenarioSyslog.replacingOccurrences(of: "2207", with: "7702")
        let writer = Thread {
            usleep(100_000)
            let fd = open(fed, O_WRONLY)
            if fd >= 0 { _ = body.withCString { write(fd, $0, strlen($0)) }; close(fd) }
        }
        writer.start()
        // An anonymous pipe, as `<(zcat x.gz)` gives.
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let anon = "/proc/self/fd/\(fds[0])"
        let anonText = "2024/01/15 10:19:50 [alert] 1980#1980: worker process 4242 exited on signal 9\n"
        _ = anonText.withCString { write(fds[1], $0, strlen($0)) }
        close(fds[1])
        defer { close(fds[0]) }

        var scan = ScanOptions()
        scan.fifoWaitSeconds = 2
        scan.year = 2024
        let started = Date()
        let run = analyze(s.paths + [dir.path + "/bad/pipes", "/dev/null", "/dev/zero", lonely, fed, anon], scan: scan)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 10)
        #expect(run.problems(containing: "skipped \(inDir): a FIFO, not a regular file (copy the log to a file first)").count == 1)
        #expect(run.problems(containing: "skipped /dev/null: a character device, not a regular file").count == 1)
        #expect(run.problems(containing: "skipped /dev/zero: a character device, not a regular file").count == 1)
        #expect(run.problems(containing: "no log files found in \(dir.path)/bad/pipes").count == 1)
        #expect(run.file(lonely)?.error == "skipped \(lonely): a named pipe (FIFO) with no writer after 2 s (start the program that writes to it first, or pipe the log into - instead)")
        let f = try #require(run.file(fed))
        #expect(f.format == .syslog3164)
        #expect(f.parsed == 2)
        #expect(run.data.events.contains { $0.source == fed && $0.text.contains("Killed process 7702") })
        let a = try #require(run.file(anon))
        #expect(a.format == .nginxError)
        #expect(a.parsed == 1)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
        // Alone, a FIFO without a writer is "nothing could be read".
        scan.fifoWaitSeconds = 0.2
        #expect(analyze([lonely], scan: scan).exitStatus == 1)
    }

    /// logrotate renames the file while it is being read and the daemon creates a new one: the
    /// open descriptor keeps reading the old file (renamed) to its end, including what the
    /// daemon still appended to it before reopening; the new file at the old path is not part
    /// of this run (the next run reads it), and the file's warnings say so. With copytruncate
    /// (the file cut under the reader) the lines read before the cut count, and a warning
    /// says that the rest was not read.
    @Test func fileRotatedWhileBeingRead() throws {
        let dir = TempDir()
        let path = dir.path + "/nginx/error.log"
        try FileManager.default.createDirectory(atPath: dir.path + "/nginx", withIntermediateDirectories: true)
        // ~3.5 MB: more than one read chunk, so the rotation happens mid-read.
        let old = 40_000
        func line(_ i: Int, hour: Int = 9) -> String {
            "2024/01/15 \(String(format: "%02d", hour)):\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60)) [alert] 1980#1980: worker process \(i) exited on signal 9, rotated-while-read test line\n"
        }
        writeStreaming(path) { emit in for i in 0..<old { Array(line(i).utf8).withUnsafeBytes(emit) } }
        let sc = try FileScanner(file: InputFile(path: path), options: ScanOptions())
        #expect(try sc.next() != nil)
        // Rotate: rename, the daemon writes a little more to the old file, then opens a new one.
        #expect(rename(path, path + ".1") == 0)
        let fh = try #require(FileHandle(forWritingAtPath: path + ".1"))
        fh.seekToEndOfFile()
        fh.write(Data((0..<10).map { line(old + $0) }.joined().utf8))
        try fh.close()
        dir.write("nginx/error.log", (0..<5).map { line($0, hour: 11) }.joined())
        let st = try sc.drain()
        #expect(st.error == nil)
        #expect(st.warnings == ["was renamed or replaced while being read (log rotation): the open file was read to its end; the file now at this path was not read in this run"])
        #expect(st.lines == old + 10)
        #expect(st.parsed == old + 10)
        #expect(st.lastUs! < 1_705_316_400_000_000)   // nothing from the new file (11:xx)
        // A run started after the rotation reads both, oldest first.
        let run = analyze([dir.path + "/nginx"])
        #expect(run.data.files.map { ($0.path as NSString).lastPathComponent } == ["error.log.1", "error.log"])
        #expect(run.data.files.map(\.parsed) == [old + 10, 5])
        #expect(run.data.files.allSatisfy { $0.warnings.isEmpty })
        #expect(run.exitStatus == 0)

        // copytruncate: the file is cut to nothing under the reader, then written again.
        let t = dir.path + "/apache/error.log"
        try FileManager.default.createDirectory(atPath: dir.path + "/apache", withIntermediateDirectories: true)
        writeStreaming(t) { emit in for i in 0..<old { Array(line(i).utf8).withUnsafeBytes(emit) } }
        let tc = try FileScanner(file: InputFile(path: t), options: ScanOptions())
        #expect(try tc.next() != nil)
        #expect(truncate(t, 0) == 0)
        let fh2 = try #require(FileHandle(forWritingAtPath: t))
        fh2.write(Data(line(1, hour: 11).utf8))
        try fh2.close()
        let ts = try tc.drain()
        #expect(ts.error == nil)
        #expect(ts.lines > 0 && ts.lines < old)     // what the first read got
        #expect(ts.warnings == ["shrank while being read (truncated, as logrotate's copytruncate does): the lines read before count; what was written after the truncation was not read"])
    }

    /// Ten thousand small files: one open at a time per worker (descriptors are closed after
    /// each file), every file counted.
    @Test func tenThousandSmallFiles() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let n = 10_000
        for d in 0..<100 {
            try FileManager.default.createDirectory(atPath: dir.path + String(format: "/bad/many/%02d", d), withIntermediateDirectories: true)
        }
        for i in 0..<n {
            // Plain POSIX writes: Foundation's createFile is far slower for 10 000 files.
            let path = dir.path + String(format: "/bad/many/%02d/batch-%05d.json", i % 100, i)
            let line = logpushLine(scenarioT0 + 3000 + Int64(i % 600), status: 503) + "\n"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            _ = line.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        let baseline = openFileDescriptors()
        nonisolated(unsafe) var peak = 0
        let lock = NSLock()
        let started = Date()
        let (r, d) = Analyzer.run(paths: s.paths + [dir.path + "/bad/many"], scan: ScanOptions(), options: AnalyzeOptions()) { st in
            if st.path.hasSuffix("0.json") {
                let now = openFileDescriptors()
                lock.lock(); peak = max(peak, now); lock.unlock()
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        let run = AnalyzeRun(report: r, data: d, exitStatus: Analyzer.exitStatus(for: d))
        #expect(d.files.count == n + 2)
        #expect(d.files.filter { $0.path.contains("/many/") }.allSatisfy { $0.parsed == 1 && $0.format == .cloudflareJSON })
        #expect(peak > 0 && peak < baseline + 64, "peak \(peak) descriptors, baseline \(baseline)")
        #expect(openFileDescriptors() <= baseline + 8)
        #expect(r.inputs.count == n + 2)
        #expect(r.totals.edgeRecords == 1200 + n)
        expectScenarioUnaffected(run)
        #expect(run.exitStatus == 0)
        #expect(elapsed < 60, "took \(elapsed) s")

        // `originlens events` reads the first record of every file up front: those files are
        // closed again until the merge reaches them.
        var o = EventMerger.Options()
        o.includeEdge = true
        let m = try EventMerger(plan: InputPlan.make(paths: [dir.path + "/bad/many"]), scanOptions: ScanOptions(), options: o)
        #expect(openFileDescriptors() < baseline + 64)
        var events = 0
        var mergePeak = 0
        while let _ = try m.next() {
            events += 1
            if events % 1000 == 0 { mergePeak = max(mergePeak, openFileDescriptors()) }
        }
        #expect(m.stats.count == n)
        #expect(events == n)
        #expect(mergePeak < baseline + 64, "merge peak \(mergePeak)")
    }
}

/// The tests' seeded generator, usable with `shuffle(using:)`.
extension SplitMix: RandomNumberGenerator {}
