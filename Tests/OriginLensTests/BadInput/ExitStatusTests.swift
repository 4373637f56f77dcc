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

    @Test func outRefusesTheFileOnStandardInput() throws {
        guard originlensBinary() != nil else { Issue.record("the originlens binary is not built (swift build)"); return }
        let dir = TempDir()
        let s = Scenario(in: dir)
        let before = try String(contentsOfFile: s.origin, encoding: .utf8)
        let r = try #require(runOriginlens(["analyze", "--out", s.origin, "-", s.edge], stdinPath: s.origin))
        #expect(r.status == 1)
        #expect(r.err.contains("--out \(s.origin) is the file on standard input (-): refusing to overwrite a log"))
        #expect(try String(contentsOfFile: s.origin, encoding: .utf8) == before)
        // Standard input read, another file written.
        let ok = try #require(runOriginlens(["analyze", "--year", "2024", "--out", dir.path + "/r.md", "-", s.edge], stdinPath: s.origin))
        #expect(ok.status == 0)
        #expect((try? String(contentsOfFile: dir.path + "/r.md", encoding: .utf8))?.contains("oom") == true)
    }

    /// One-character paths (a file named `a`, `--out r`, `-`) once crashed the program inside
    /// Foundation's path handling.
    @Test func oneCharacterPathsWork() throws {
        guard originlensBinary() != nil else { Issue.record("the originlens binary is not built (swift build)"); return }
        let dir = TempDir()
        dir.write("a", scenarioSyslog, mtime: scenarioMtime)
        dir.write("e", scenarioEdgeLog())
        let f = try #require(runOriginlens(["formats", "a", "e"], cwd: dir.path))
        #expect(f.status == 0, "\(f.err)")
        #expect(f.out.contains("syslog"))
        let a = try #require(runOriginlens(["analyze", "--out", "r", "a", "e"], cwd: dir.path))
        #expect(a.status == 0, "\(a.err)")
        #expect((try? String(contentsOfFile: dir.path + "/r", encoding: .utf8))?.hasPrefix("# 521 incident OL-20240115-1020") == true)
        let w = try #require(runOriginlens(["weekly", "--history", "h", "--since", "2024-01-15", "--until", "2024-01-16", "--out", "w", "--postmortems", "p", "a", "e"], cwd: dir.path))
        #expect(w.status == 0, "\(w.err)")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/p/OL-20240115-1020.md"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/h"))
        #expect((try? String(contentsOfFile: dir.path + "/w", encoding: .utf8))?.contains("[OL-20240115-1020](<p/OL-20240115-1020.md>)") == true)
        let e = try #require(runOriginlens(["events", "-"], stdinPath: dir.path + "/a"))
        #expect(e.status == 0, "\(e.err)")
        #expect(e.out.contains("oom-kill"))
    }

    @Test func redactMasksTheOutput() throws {
        let dir = TempDir()
        dir.write("good/edge/logpush.json", scenarioEdgeLog())
        dir.write("good/origin/syslog", scenarioSyslog, mtime: scenarioMtime)
        dir.write("good/origin/nginx/error.log", "2024/01/15 10:19:50 [error] 2211#2211: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.77, server: www.example.com, request: \"GET /pay?card=4111111111111111 HTTP/1.1\"\n")
        // An unknown file whose first line (quoted in every report's problem list) names the
        // same client: the weekly report carries it too.
        dir.write("good/notes.txt", "visitor 203.0.113.77 paid with /pay?card=4111111111111111\n")
        let weeklyArgs = ["weekly", "--no-history", "--since", "2024-01-15", "--until", "2024-01-16"]
        for args in [["analyze", "--json"], ["events"], weeklyArgs, weeklyArgs + ["--json"]] {
            let plain = try run(args + [dir.path + "/good"])
            #expect(plain.out.contains("203.0.113.77"), "\(args) without --redact")
        }
        for args in [["analyze", "--redact"], ["analyze", "--redact", "--json"], ["events", "--redact"],
                     weeklyArgs + ["--redact"], weeklyArgs + ["--redact", "--json"]] {
            let r = try run(args + [dir.path + "/good"])
            #expect(r.status == 0, "\(args)")
            for s in ["203.0.113.77", "card=4111"] {
                #expect(!r.out.contains(s), "\(args)")
                #expect(!r.err.contains(s), "\(args) stderr")
            }
        }
        let events = try run(["events", "--redact", dir.path + "/good"])
        #expect(events.out.contains("client: ip-1"))
        #expect(events.out.contains("/pay?query-1"))

        // The weekly report and the postmortems it writes share one set of masks.
        let pmDir = dir.path + "/postmortems"
        let weekly = try run(weeklyArgs + ["--redact", "--postmortems", pmDir, dir.path + "/good"])
        #expect(weekly.status == 0)
        let mask = try #require(weekly.out.components(separatedBy: "visitor ").dropFirst().first?.components(separatedBy: " ").first)
        #expect(mask.hasPrefix("ip-"))
        let pm = try String(contentsOfFile: pmDir + "/OL-20240115-1020.md", encoding: .utf8)
        #expect(!pm.contains("203.0.113.77") && !pm.contains("card=4111"))
        #expect(pm.contains("client: \(mask)"))
        #expect(weekly.out.contains("OL-20240115-1020.md"))
    }

    /// `events --redact` streams: an origin address met in an origin line before any edge
    /// record names it is masked, and keeps that mask afterwards; `--origin-ip` keeps it
    /// readable from the start.
    @Test func eventsRedactionIsConsistentForOriginAddresses() throws {
        let dir = TempDir()
        dir.write("edge/logpush.json", scenarioEdgeLog())
        dir.write("origin/kern.log", "Jan 15 10:19:40 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=198.51.100.20 PROTO=TCP SPT=40000 DPT=443 SYN\n" + scenarioSyslog, mtime: scenarioMtime)
        let masked = try run(["events", "--edge", "--redact", dir.path])
        #expect(masked.status == 0)
        #expect(!masked.out.contains("203.0.113.9"))
        // 198.51.100.20 was masked in the firewall line, before the first edge 5xx named it:
        // it stays masked in the edge records too.
        #expect(!masked.out.contains("198.51.100.20"))
        let kept = try run(["events", "--edge", "--redact", "--origin-ip", "198.51.100.20", dir.path])
        #expect(kept.out.contains("DST=198.51.100.20"))
        #expect(!kept.out.contains("203.0.113.9"))
        let bad = try run(["events", "--redact", "--origin-ip", "not-an-ip", dir.path])
        #expect(bad.status == 64)
    }
}
