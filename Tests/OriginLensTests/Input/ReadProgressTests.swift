import Foundation
import Testing
@testable import OriginLens

/// A clock the test moves by hand, and a sink for what the reporter writes.
final class FakeTerminal: @unchecked Sendable {
    var ns: UInt64 = 0
    var writes: [String] = []
    func progress(delay: Double = 0.5, interval: Double = 0.1) -> ReadProgress {
        ReadProgress(write: { self.writes.append($0) }, now: { self.ns }, delay: delay, interval: interval)
    }
}

@Suite struct ReadProgressTests {
    @Test func lineSaysBytesOfTotalRateElapsedAndRemaining() {
        #expect(ReadProgress.line(done: 312_000_000, total: 1_070_000_000, elapsedNs: 1_000_000_000)
                == "read 312 MB of 1.07 GB (29 %), 312 MB/s, 0:01 elapsed, 0:02 left")
        #expect(ReadProgress.line(done: 5_000_000, total: 0, elapsedNs: 2_000_000_000)
                == "read 5.00 MB, 2.50 MB/s, 0:02 elapsed")
        // More than the total (a journal export re-read from its start) never shows over 100 %.
        #expect(ReadProgress.line(done: 1_100, total: 1_000, elapsedNs: 1_000_000_000)
                == "read 1.10 kB of 1.00 kB (100 %), 1.10 kB/s, 0:01 elapsed, 0:00 left")
        #expect(ReadProgress.line(done: 0, total: 1_000, elapsedNs: 0) == "read 0 B of 1.00 kB (0 %), 0 B/s, 0:00 elapsed")
    }

    @Test func unitsAndClock() {
        #expect(ReadProgress.bytes(0) == "0 B")
        #expect(ReadProgress.bytes(999) == "999 B")
        #expect(ReadProgress.bytes(12_345) == "12.3 kB")
        #expect(ReadProgress.bytes(999_499) == "999 kB")
        #expect(ReadProgress.bytes(1_073_741_824) == "1.07 GB")
        #expect(ReadProgress.bytes(2_500_000_000_000) == "2.50 TB")
        #expect(ReadProgress.clock(7) == "0:07")
        #expect(ReadProgress.clock(750) == "12:30")
        #expect(ReadProgress.clock(3753) == "1:02:33")
        #expect(ReadProgress.clock(.infinity) == "0:00")
    }

    @Test func quickRunsShowNothingAndUpdatesAreThrottled() {
        let term = FakeTerminal()
        let p = term.progress()
        p.begin(totalBytes: 10_000_000)
        for i in 0..<40 {   // 4000 reads over 0.4 s: still inside the delay
            term.ns = UInt64(i) * 10_000_000
            for _ in 0..<100 { p.add(1000) }
        }
        #expect(term.writes.isEmpty)
        p.finish()
        #expect(term.writes.isEmpty)   // nothing shown, nothing to clear

        // From 0.5 s on: at most one line per 100 ms, however many reads there are.
        for i in 50..<150 {
            term.ns = UInt64(i) * 10_000_000   // 10 ms steps, 1.0 s in all
            for _ in 0..<10 { p.add(500) }
        }
        #expect(term.writes.count == 10)
        #expect(term.writes.allSatisfy { $0.hasPrefix("\rread ") })
        #expect(term.writes.last?.contains(" of 10.0 MB (") == true)
        p.finish()
        #expect(term.writes.count == 11)
        #expect(term.writes.last!.hasPrefix("\r") && term.writes.last!.hasSuffix("\r"))
        #expect(term.writes.last!.trimmingCharacters(in: CharacterSet(charactersIn: "\r ")).isEmpty)
    }

    @Test func aShorterLineOverwritesALongerOne() {
        let term = FakeTerminal()
        let p = term.progress(delay: 0, interval: 0)
        p.begin(totalBytes: 0)
        term.ns = 1_000_000_000
        p.add(123_456_789)            // "read 123 MB, 123 MB/s, 0:01 elapsed"
        term.ns = 1_000_000_000_000
        p.add(1)                      // a shorter rate: the line is padded over the old one
        #expect(term.writes.count == 2)
        #expect(term.writes[1].count >= term.writes[0].count)
    }

    /// The reporter is fed from the raw file reads: reading a file counts its on-disk size,
    /// plain or gzip, and the total is the plan's.
    @Test func scannerReadsFeedIt() throws {
        let dir = TempDir()
        let line = "Jan 15 10:23:44 web1 systemd[1]: nginx.service: Main process exited, code=killed, status=9/KILL\n"
        let plain = String(repeating: line, count: 8000)
        dir.write("a/syslog", Array(plain.utf8), mtime: Date(timeIntervalSince1970: 1_705_400_000))
        dir.write("b/syslog.1.gz", GzipWriter.compress(plain), mtime: Date(timeIntervalSince1970: 1_705_300_000))
        let size = { (p: String) in Int64((try? FileManager.default.attributesOfItem(atPath: dir.path + "/" + p)[.size] as? Int) ?? 0) }
        let total = size("a/syslog") + size("b/syslog.1.gz")
        let term = FakeTerminal()
        let p = term.progress(delay: 0, interval: 0)
        var o = ScanOptions()
        o.progress = p
        term.ns = 1_000_000_000
        let report = FormatsReport.run(paths: [dir.path], options: o)
        #expect(report.files.count == 2)
        #expect(report.files.allSatisfy { $0.parsed == 8000 })
        let last = try #require(term.writes.last)
        #expect(last.hasPrefix("\rread " + ReadProgress.bytes(total) + " of " + ReadProgress.bytes(total) + " (100 %)"))
    }
}
