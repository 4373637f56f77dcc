import Foundation
import Testing
@testable import OriginLens

@Suite struct FileScannerTests {
    static let nginx = """
    2024/01/15 10:23:40 [alert] 1980#1980: worker process 2207 exited on signal 9
    2024/01/15 10:23:45 [error] 2211#2211: *48213 connect() failed (111: Connection refused) while connecting to upstream, client: 172.70.242.14, server: www.example.com, request: "GET /checkout?step=2 HTTP/1.1", upstream: "http://127.0.0.1:8080/checkout?step=2", host: "www.example.com"
    2024/01/15 10:24:02 [emerg] 3120#3120: bind() to 0.0.0.0:80 failed (98: Address already in use)

    """
    static let logpush = """
    {"ClientIP":"203.0.113.7","ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/checkout?step=2","EdgeColoCode":"FRA","EdgeStartTimestamp":1705314225123000000,"EdgeEndTimestamp":1705314225187000000,"EdgeResponseStatus":521,"OriginResponseStatus":0,"OriginIP":"198.51.100.20","EdgeServerIP":"172.70.242.14","RayID":"84a1b2c3d4e5f607"}
    {"EdgeStartTimestamp":"2024-01-15T10:23:45Z","EdgeEndTimestamp":"2024-01-15T10:23:45Z","EdgeResponseStatus":521,"OriginResponseStatus":0,"ClientRequestHost":"www.example.com","RayID":"84a1b2c3d4e5f608"}
    {"EdgeStartTimestamp":1705314225,"EdgeResponseStatus":200,"OriginResponseStatus":200,"ClientRequestHost":"www.example.com","RayID":"84a1b2c3d4e5f609"}
    {"EdgeStartTimestamp":1705314226,"EdgeResponseStatus":"broken"
    """
    static let syslog = """
    Jan 15 10:23:44 web1 kernel: Out of memory: Killed process 2291 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0
    Jan 15 10:23:45 web1 systemd[1]: php8.2-fpm.service: Main process exited, code=killed, status=9/KILL

    """
    static let php = """
    [15-Jan-2024 10:23:40] WARNING: [pool www] server reached pm.max_children setting (20), consider raising it
    [15-Jan-2024 10:23:44] WARNING: [pool www] child 2291 exited on signal 9 (SIGKILL) after 311.204551 seconds from start

    """

    /// `forEach` (the hot loop) gives the same records, formats, line numbers and accounting as
    /// a `next()` loop, for every kind of file: mixed lines with fallbacks, untimed lines,
    /// unknown formats, gzip, out-of-order times.
    @Test func forEachAgreesWithNext() throws {
        let dir = TempDir()
        dir.write("nginx/error.log", Self.nginx + "PHP message: not a line of nginx\n" + Self.php + "\n\n2024/01/15 10:22:00 [error] 1#1: earlier\n")
        dir.write("edge/batch.log.gz", GzipWriter.compress(Self.logpush + "\n" + Self.logpush))
        dir.write("sys/syslog", Self.syslog, mtime: Date(timeIntervalSince1970: 1_705_400_000))
        dir.write("php/php8.2-fpm.log", Self.php)
        dir.write("junk/notes.txt", "hello world\nthis is not a log\n")
        dir.write("empty.log", "")
        let plan = InputPlan.make(paths: [dir.path])
        #expect(plan.items.count == 6)
        for item in plan.items {
            var viaNext: [String] = []
            let a = try InputPlan.scanner(for: item, options: ScanOptions())
            while let r = try a.next() {
                switch r {
                case .edge(let e): viaNext.append("edge \(a.currentFormat) \(a.lineNumber) \(EdgeValues(e))")
                case .origin(let o): viaNext.append("origin \(a.currentFormat) \(a.lineNumber) \(o.timeUs) \(o.message.string()) \(o.ident.string())")
                }
            }
            var viaForEach: [String] = []
            let b = try InputPlan.scanner(for: item, options: ScanOptions())
            try b.forEach(edge: { e, f in viaForEach.append("edge \(f) \(b.lineNumber) \(EdgeValues(e))") },
                          origin: { o, f in viaForEach.append("origin \(f) \(b.lineNumber) \(o.timeUs) \(o.message.string()) \(o.ident.string())") })
            #expect(viaNext == viaForEach, "\(item.file.path)")
            #expect(a.stats == b.stats, "\(item.file.path)")
        }
    }

    @Test func sniffsAMixedDirectoryAndKeepsTheAccounting() throws {
        let dir = TempDir()
        dir.write("nginx/error.log", Self.nginx)
        dir.write("edge/batch.log.gz", GzipWriter.compress(Self.logpush))
        dir.write("sys/syslog", Self.syslog, mtime: Date(timeIntervalSince1970: 1_705_400_000))
        dir.write("php/php8.2-fpm.log", Self.php)
        dir.write("junk/notes.txt", "hello world\nthis is not a log\n")
        dir.write("empty.log", "")
        let report = FormatsReport.run(paths: [dir.path], options: ScanOptions())
        func file(_ suffix: String) -> FileStats { report.files.first { $0.path.hasSuffix(suffix) }! }
        #expect(file("error.log").format == .nginxError)
        #expect(file("batch.log.gz").format == .cloudflareJSON)
        #expect(file("batch.log.gz").gzip)
        #expect(file("syslog").format == .syslog3164)
        #expect(file("php8.2-fpm.log").format == .phpFpm)
        #expect(file("notes.txt").format == .unknown)
        #expect(file("notes.txt").sample == "hello world")
        #expect(file("notes.txt").warnings.first?.contains("unknown format") == true)
        #expect(file("empty.log").lines == 0)
        let cf = file("batch.log.gz")
        #expect(cf.lines == 4)
        #expect(cf.parsed == 3)
        #expect(cf.skipped == ["malformed": 1])
        #expect(cf.firstUs == 1_705_314_225_000_000)
        #expect(cf.lastUs == 1_705_314_225_123_000)
        for f in report.files { #expect(f.lines == f.parsed + f.skippedTotal, "\(f.path)") }
        #expect(file("syslog").firstUs == 1_705_314_224_000_000)
        // JSON has the same numbers.
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as! [String: Any]
        #expect((json["files"] as! [[String: Any]]).count == 6)
    }

    @Test func formatOverrideWins() throws {
        let dir = TempDir()
        let p = dir.write("weird.txt", Self.nginx)
        var o = ScanOptions()
        o.formatOverrides = [try FormatOverride(parsing: "*.txt=nginx-error")]
        let s = try FileScanner(file: InputFile(path: p), options: o).drain()
        #expect(s.format == .nginxError)
        #expect(s.parsed == 3)
    }

    @Test func localZoneIsApplied() throws {
        let dir = TempDir()
        let p = dir.write("error.log", Self.nginx)
        var o = ScanOptions()
        o.zone = .named("Europe/Berlin")
        let s = try FileScanner(file: InputFile(path: p), options: o).drain()
        let want: Int64 = 1_705_314_220_000_000 - 3_600_000_000
        #expect(s.firstUs == want)
    }

    @Test func overLongLinesAreCountedNotLost() throws {
        let dir = TempDir()
        let long = "2024/01/15 10:23:41 [error] 1#1: " + String(repeating: "x", count: 5000)
        let p = dir.write("error.log", Self.nginx.replacingOccurrences(of: "\n2024/01/15 10:23:45", with: "\n\(long)\n2024/01/15 10:23:45"))
        var o = ScanOptions()
        o.maxLineBytes = 1000
        let s = try FileScanner(file: InputFile(path: p), options: o).drain()
        #expect(s.lines == 4)
        #expect(s.parsed == 3)
        #expect(s.skipped == ["too-long": 1])
        #expect(s.warnings.contains { $0.contains("longer than the limit") && $0.contains("line 2") })
    }

    @Test func invalidUTF8AndNULBytesNeverCrash() throws {
        let dir = TempDir()
        var bytes = Array(Self.nginx.utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x0A, 0x00, 0x00, 0x0A]
        bytes += Array("2024/01/15 10:25:00 [error] 1#1: caf\u{E9} ".utf8) + [0xC3, 0x28, 0x00, 0x0A]
        let p = dir.write("error.log", bytes)
        let s = try FileScanner(file: InputFile(path: p), options: ScanOptions()).drain()
        #expect(s.lines == 6)
        #expect(s.parsed == 4)
        #expect(s.lines == s.parsed + s.skippedTotal)
    }

    @Test func truncatedGzipKeepsLinesAndWarns() throws {
        let dir = TempDir()
        let text = (0..<2000).map { "Jan 15 10:\(String(format: "%02d", $0 / 60 % 60)):\(String(format: "%02d", $0 % 60)) web1 sshd[\($0)]: Connection closed by 203.0.113.\($0 % 250)" }.joined(separator: "\n") + "\n"
        let gz = GzipWriter.compress(text, level: 1)
        let p = dir.write("syslog.2.gz", Array(gz.prefix(gz.count * 2 / 3)))
        let s = try FileScanner(file: InputFile(path: p, mtime: 1_705_400_000), options: ScanOptions()).drain()
        #expect(s.gzip)
        #expect(s.lines > 500)
        #expect(s.lines < 2000)
        #expect(s.warnings.contains { $0.contains("truncated gzip stream") })
    }

    @Test func syslogYearComesFromTheRotationSuffix() throws {
        let dir = TempDir()
        dir.write("syslog-20250102", "Dec 31 23:59:59 web1 cron[1]: a\nJan  1 00:00:01 web1 cron[1]: b\n",
                  mtime: Date(timeIntervalSince1970: 1_800_000_000))
        let plan = InputPlan.make(paths: [dir.path])
        let sc = try InputPlan.scanner(for: plan.items[0], options: ScanOptions())
        let s = try sc.drain()
        #expect(s.firstUs == CivilTime.seconds(year: 2024, month: 12, day: 31, hour: 23, minute: 59, second: 59)! * 1_000_000)
        #expect(s.lastUs == CivilTime.seconds(year: 2025, month: 1, day: 1, hour: 0, minute: 0, second: 1)! * 1_000_000)
        var o = ScanOptions()
        o.year = 2019
        let s2 = try InputPlan.scanner(for: plan.items[0], options: o).drain()
        #expect(s2.firstUs == CivilTime.seconds(year: 2019, month: 12, day: 31, hour: 23, minute: 59, second: 59)! * 1_000_000)
    }

    @Test func unreadableAndMissingInputsAreReported() throws {
        let dir = TempDir()
        let ok = dir.write("error.log", Self.nginx)
        let locked = dir.write("locked.log", Self.nginx)
        chmod(locked, 0o000)
        defer { chmod(locked, 0o644) }
        let report = FormatsReport.run(paths: [ok, locked, dir.path + "/missing.log"], options: ScanOptions())
        #expect(report.files.first { $0.path == ok }?.parsed == 3)
        #expect(report.problems.contains { $0.message.contains("missing.log") })
        if getuid() != 0 {
            #expect(report.files.first { $0.path == locked }?.error?.contains("permission denied") == true)
        }
    }
}
