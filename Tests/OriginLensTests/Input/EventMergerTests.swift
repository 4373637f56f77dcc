import Foundation
import Testing
@testable import OriginLens

@Suite struct EventMergerTests {
    @Test func eventsAreMergedInTimeOrderAcrossFiles() throws {
        let dir = TempDir()
        // nginx error log in UTC, syslog with a year from its mtime, unsorted Logpush lines.
        dir.write("error.log", """
        2024/01/15 10:23:40 [alert] 1980#1980: worker process 2207 exited on signal 9
        2024/01/15 10:24:02 [emerg] 3120#3120: bind() to 0.0.0.0:80 failed (98: Address already in use)
        2024/01/15 10:30:00 [emerg] 3301#3301: unknown directive "proxy_passs" in /etc/nginx/sites-enabled/default:42

        """)
        dir.write("syslog", """
        Jan 15 10:23:44 web1 kernel: Out of memory: Killed process 2291 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0
        Jan 15 10:23:45 web1 systemd[1]: php8.2-fpm.service: Failed with result 'oom-kill'.
        Jan 15 10:25:00 web1 sshd[99]: Connection closed by 203.0.113.9

        """, mtime: Date(timeIntervalSince1970: 1_705_400_000))
        dir.write("edge.json", """
        {"EdgeStartTimestamp":1705314300,"EdgeResponseStatus":521,"OriginResponseStatus":0,"ClientRequestHost":"www.example.com","EdgeColoCode":"FRA"}
        {"EdgeStartTimestamp":1705314200,"EdgeResponseStatus":521,"OriginResponseStatus":0,"ClientRequestHost":"www.example.com","EdgeColoCode":"AMS"}
        {"EdgeStartTimestamp":1705314250,"EdgeResponseStatus":200,"OriginResponseStatus":200,"ClientRequestHost":"www.example.com"}

        """)
        var o = EventMerger.Options()
        o.includeEdge = true
        let m = try EventMerger(plan: InputPlan.make(paths: [dir.path]), scanOptions: ScanOptions(), options: o)
        var times: [Int64] = []
        var kinds: [String] = []
        while let e = try m.next() {
            times.append(e.timeUs)
            switch e {
            case .origin(let x): kinds.append(x.kind.rawValue)
            case .edge(let x): kinds.append("edge-\(x.status)")
            }
        }
        #expect(times == times.sorted())
        #expect(kinds.filter { $0 == "edge-521" }.count == 2)
        #expect(kinds.contains("oom-kill"))
        #expect(kinds.contains("bind-error"))
        #expect(kinds.contains("config-error"))
        #expect(m.stats.count == 3)
        #expect(m.lateEvents == 0)
    }

    @Test func kindAndTimeFilters() throws {
        let dir = TempDir()
        dir.write("error.log", """
        2024/01/15 10:23:40 [alert] 1980#1980: worker process 2207 exited on signal 9
        2024/01/15 10:24:02 [emerg] 3120#3120: bind() to 0.0.0.0:80 failed (98: Address already in use)

        """)
        var o = EventMerger.Options()
        o.kinds = [.bindError]
        o.sinceUs = 1_705_314_230_000_000
        let m = try EventMerger(plan: InputPlan.make(paths: [dir.path]), scanOptions: ScanOptions(), options: o)
        var got: [OriginEvent] = []
        while let e = try m.next() { if case .origin(let x) = e { got.append(x) } }
        #expect(got.count == 1)
        #expect(got.first?.kind == .bindError)
        #expect(got.first?.line == 2)
        #expect(got.first?.service == "nginx")
        let line = try #require(got.first).jsonLine
        #expect(line.hasPrefix("{\"time\":\"2024-01-15T10:24:02Z\",\"type\":\"origin\",\"kind\":\"bind-error\""))
    }
}
