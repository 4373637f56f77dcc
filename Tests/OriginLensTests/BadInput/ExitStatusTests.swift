import Foundation
import Testing
@testable import OriginLens

/// The built `originlens` end to end: exit statuses as `originlens --help` documents them
/// (0 written, 1 nothing could be written, 64 usage), messages on stderr, `--out` and
/// `--redact`.
@Suite struct ExitStatusTests {
    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        guard originlensBinary() != nil else {
            Issue.record("the originlens binary is not built (swift build)")
            throw CancellationError()
        }
        return try #require(runOriginlens(args), "originlens \(args) did not finish in time")
    }

    @Test func unreadableInputsBesideGoodOnesStillGiveAReport() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let missing = dir.path + "/nope.log"
        let r = try run(["analyze", "--json"] + s.paths + [missing, "/proc/self/mem", "/dev/null"])
        #expect(r.status == 0)
        #expect(r.err.contains("originlens: cannot read \(missing): no such file or directory (check the path)"))
        #expect(r.err.contains("originlens: cannot read /proc/self/mem: Input/output error"))
        #expect(r.err.contains("originlens: skipped /dev/null: a character device, not a regular file"))
        let obj = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        #expect(obj?["incidentCount"] as? Int == 1)
        #expect((obj?["problems"] as? [String])?.contains { $0.contains("/proc/self/mem") } == true)
    }

    @Test func nothingReadableIsStatusOne() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.path + "/empty", withIntermediateDirectories: true)
        for cmd in ["analyze", "formats", "events", "weekly"] {
            let r = try run([cmd, dir.path + "/nope.log", dir.path + "/empty", "/proc/self/mem"] + (cmd == "weekly" ? ["--no-history"] : []))
            #expect(r.status == 1, "\(cmd)")
            #expect(r.err.contains("no such file or directory"), "\(cmd)")
        }
        let a = try run(["analyze", dir.path + "/nope.log"])
        #expect(a.err.hasSuffix("originlens: no input could be read\n"))
        #expect(a.out.isEmpty)
    }

    @Test func usageErrorsAreStatus64() throws {
        #expect(try run(["analyze"]).status == 64)
        #expect(try run(["analyze", "--min-errors", "0", "x.log"]).status == 64)
        #expect(try run(["analyze", "--no-such-option", "x.log"]).status == 64)
        #expect(try run(["analyze", "--tz", "Mars/Olympus", "x.log"]).status == 64)
    }

    @Test func outNeverOverwritesAnInput() throws {
        let dir = TempDir()
        let s = Scenario(in: dir)
        let before = try String(contentsOfFile: s.origin, encoding: .utf8)
        // The syslog is found by walking the directory given.
        let r = try run(["analyze", "--out", s.origin, dir.path + "/good"])
        #expect(r.status == 1)
        #expect(r.err.contains("--out \(s.origin) is the input file \(s.origin): refusing to overwrite a log"))
        #expect(try String(contentsOfFile: s.origin, encoding: .utf8) == before)
        // Elsewhere it is written.
        let ok = try run(["analyze", "--out", dir.path + "/report.md", dir.path + "/good"])
        #expect(ok.status == 0)
        #expect((try? String(contentsOfFile: dir.path + "/report.md", encoding: .utf8))?.hasPrefix("# 521 incident OL-20240115-1020") == true)
    }

    @Test func redactMasksTheOutput() throws {
        let dir = TempDir()
        dir.write("good/edge/logpush.json", scenarioEdgeLog())
        dir.write("good/origin/syslog", scenarioSyslog, mtime: scenarioMtime)
        dir.write("good/origin/nginx/error.log", "2024/01/15 10:19:50 [error] 2211#2211: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.77, server: www.example.com, request: \"GET /pay?card=4111111111111111 HTTP/1.1\"\n")
        let plain = try run(["analyze", "--json", dir.path + "/good"])
        #expect(plain.out.contains("203.0.113.77"))
        for args in [["analyze", "--redact"], ["analyze", "--redact", "--json"], ["events", "--redact"],
                     ["weekly", "--redact", "--no-history", "--since", "2024-01-15", "--until", "2024-01-16"]] {
            let r = try run(args + [dir.path + "/good"])
            #expect(r.status == 0, "\(args)")
            #expect(!r.out.contains("203.0.113.77"), "\(args)")
            #expect(!r.out.contains("card=4111"), "\(args)")
        }
        let events = try run(["events", "--redact", dir.path + "/good"])
        #expect(events.out.contains("client: ip-1"))
        #expect(events.out.contains("/pay?query-1"))
    }
}
