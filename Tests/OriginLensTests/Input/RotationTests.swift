import Foundation
import Testing
@testable import OriginLens

@Suite struct RotationTests {
    @Test func positionsFromNames() {
        let p1 = RotationPosition(path: "/var/log/nginx/error.log.2.gz")
        #expect(p1.family == "/var/log/nginx/error.log" && p1.index == 2 && p1.gzName)
        let p2 = RotationPosition(path: "/var/log/syslog-20261124.gz")
        #expect(p2.family == "/var/log/syslog" && p2.date == 20261124)
        let p3 = RotationPosition(path: "x.log.2026-11-24.gz")
        #expect(p3.family == "x.log" && p3.date == 20261124)
        let p4 = RotationPosition(path: "x.log-20261124")
        #expect(p4.family == "x.log" && p4.date == 20261124 && !p4.gzName)
        let p5 = RotationPosition(path: "x.log")
        #expect(p5.family == "x.log" && p5.index == 0 && p5.date == 0)
        #expect(p4.suffixDate! == (2026, 11))
    }

    @Test func familiesAreReadOldestFirst() {
        let names = ["d/x.log", "d/x.log.1", "d/x.log.3.gz", "d/x.log.2.gz", "d/y.log-20261124.gz", "d/y.log", "d/y.log-20261117"]
        let plan = RotationPlanner.plan(names.map { InputFile(path: $0) }, contentHash: { _ in nil })
        #expect(plan.map(\.file.path) == ["d/x.log.3.gz", "d/x.log.2.gz", "d/x.log.1", "d/x.log",
                                          "d/y.log-20261117", "d/y.log-20261124.gz", "d/y.log"])
    }

    @Test func duplicateMembersAreReadOnce() throws {
        let dir = TempDir()
        let text = "Jan 15 10:23:44 web1 kernel: hello\n"
        let plain = dir.write("x.log.1", text)
        let gz = dir.write("x.log.1.gz", GzipWriter.compress(text))
        let different = dir.write("x.log.2.gz", GzipWriter.compress("other\n"))
        let live = dir.write("x.log", "live\n")
        let plan = InputPlan.make(paths: [dir.path])
        #expect(plan.items.map(\.file.path) == [different, plain, gz, live])
        #expect(plan.items[2].duplicateOf == plain)
        #expect(plan.readable.count == 3)
    }

    @Test func expansionSkipsHiddenAndReportsProblems() throws {
        let dir = TempDir()
        dir.write("a/access.log", "x\n")
        dir.write("a/.hidden.log", "x\n")
        dir.write(".git/config", "x\n")
        try FileManager.default.createDirectory(atPath: dir.path + "/empty", withIntermediateDirectories: true)
        symlink(dir.path + "/a", dir.path + "/a/loop")
        mkfifo(dir.path + "/a/fifo", 0o600)
        let r = PathExpander.expand([dir.path + "/a", dir.path + "/missing.log", dir.path + "/empty"])
        #expect(r.files.map(\.path) == [dir.path + "/a/access.log"])
        let messages = r.problems.map(\.message)
        #expect(messages.contains { $0.contains("missing.log: no such file") })
        #expect(messages.contains { $0.contains("no log files found") })
        #expect(messages.contains { $0.contains("symbolic link loop") })
        #expect(messages.contains { $0.contains("a FIFO") })
    }

    @Test func globMatching() {
        #expect(Glob.match("*.gz", "a.log.gz"))
        #expect(Glob.match("edge/*", "edge/x/y.json"))
        #expect(Glob.match("err?r.log", "error.log"))
        #expect(Glob.match("[a-c]*.log", "b1.log"))
        #expect(!Glob.match("[!a-c]*.log", "b1.log"))
        #expect(!Glob.match("*.gz", "a.log"))
        let o = try? FormatOverride(parsing: "cf/*=logpush")
        #expect(o?.format == .cloudflareJSON)
        #expect(o?.matches("/data/cf/2026/x.gz") == false)
        #expect(o?.matches("cf/2026/x.gz") == true)
        #expect((try? FormatOverride(parsing: "x=nonsense")) == nil)
    }
}
