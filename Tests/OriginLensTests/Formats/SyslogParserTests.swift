import Testing
@testable import OriginLens

/// An owned copy of an `OriginRecord` (fields copied inside the parse closure).
private struct Rec: Equatable {
    var time: Int64
    var host: String
    var ident: String
    var pid: Int
    var severity: Int
    var message: String
    var module: String = ""
    var implied: ImpliedProgram = .none
}

private enum Out: Equatable {
    case rec(Rec)
    case skip(SkipReason)
    case edge
}

private func copy(_ o: ParseOutcome) -> Out {
    switch o {
    case .origin(let r):
        return .rec(Rec(time: r.timeUs, host: r.hostname.string(), ident: r.ident.string(), pid: r.pid,
                        severity: r.severity, message: r.message.string(), module: r.module.string(),
                        implied: r.implied))
    case .edge: return .edge
    case .skip(let s): return .skip(s)
    }
}

private func run<P: LineParser>(_ p: inout P, _ s: String) -> Out {
    UnsafeRawBufferPointer.withBytes(of: s) { copy(p.parse($0)) }
}

private func run<P: LineParser>(_ p: inout P, bytes: [UInt8]) -> Out {
    bytes.withUnsafeBytes { copy(p.parse($0)) }
}

private func rec(_ o: Out) -> Rec? {
    if case .rec(let r) = o { return r }
    return nil
}

private func sniff(_ s: String) -> Int {
    UnsafeRawBufferPointer.withBytes(of: s) { SyslogParser.sniff($0) }
}

/// A parser in UTC whose year inference starts at `year` (explicit, like `--year`).
private func parser(year: Int = 2024, zone: TimeZoneSpec = .utc) -> SyslogParser {
    SyslogParser(context: ParseContext(zone: zone, years: YearTracker(explicitYear: year, referenceYear: year, referenceMonth: 12)))
}

@Suite struct SyslogParserTests {
    // MARK: Reference layouts (§7.3, §7.4)

    @Test func rsyslogTraditionalSpacePaddedDay() {
        var p = parser()
        let r = rec(run(&p, "Jan  5 10:23:44 web1 kernel: Out of memory: Killed process 2291 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0"))
        #expect(r == Rec(time: 1_704_450_224_000_000, host: "web1", ident: "kernel", pid: -1, severity: -1,
                         message: "Out of memory: Killed process 2291 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0"))
    }

    @Test func journalctlShortZeroPaddedAndPid() {
        var p = parser()
        let a = rec(run(&p, "Jan 15 10:23:44 web1 kernel: Out of memory: Killed process 2291 (php-fpm8.2) total-vm:812344kB"))
        #expect(a?.time == 1_705_314_224_000_000)
        #expect(a?.ident == "kernel")
        let b = rec(run(&p, "Jan 15 10:23:45 web1 systemd[1]: php8.2-fpm.service: Main process exited, code=killed, status=9/KILL"))
        #expect(b == Rec(time: 1_705_314_225_000_000, host: "web1", ident: "systemd", pid: 1, severity: -1,
                         message: "php8.2-fpm.service: Main process exited, code=killed, status=9/KILL"))
        let c = rec(run(&p, "Jan 05 10:23:45.123456 web1 systemd[1]: x"))
        #expect(c?.time == 1_704_450_225_123_456)
        #expect(c?.message == "x")
    }

    @Test func isoWithOffsets() {
        var p = parser()
        let a = rec(run(&p, "2024-01-15T10:23:45.123456+01:00 web1 systemd[1]: php8.2-fpm.service: Failed with result 'oom-kill'."))
        #expect(a == Rec(time: 1_705_310_625_123_456, host: "web1", ident: "systemd", pid: 1, severity: -1,
                         message: "php8.2-fpm.service: Failed with result 'oom-kill'."))
        // journalctl short-iso up to v254: `+0100`.
        let b = rec(run(&p, "2024-01-15T10:23:45+0100 web1 nginx[983]: nginx: [emerg] bind() failed"))
        #expect(b?.time == 1_705_310_625_000_000)
        #expect(b?.pid == 983)
        let c = rec(run(&p, "2024-01-15T10:23:45.123456Z web1 sshd[7]: ok"))
        #expect(c?.time == 1_705_314_225_123_456)
        let d = rec(run(&p, "2024-01-15T10:23:45.123456+01:00 web1 systemd[1]: php8.2-fpm.service: Scheduled restart job, restart counter is at 3."))
        #expect(d?.message == "php8.2-fpm.service: Scheduled restart job, restart counter is at 3.")
    }

    @Test func isoWithoutOffsetIsLocalTime() {
        var p = parser(zone: .named("Europe/Berlin"))
        let r = rec(run(&p, "2024-01-15T10:23:45.123456 web1 sudo: pam_unix(sudo-i:session): session opened"))
        #expect(r?.time == 1_705_310_625_123_456)
        #expect(r?.ident == "sudo")
        #expect(r?.message == "pam_unix(sudo-i:session): session opened")
    }

    @Test func shortUnix() {
        var p = parser()
        let r = rec(run(&p, "1705314225.123456 web1 systemd[1]: nginx.service: Deactivated successfully."))
        #expect(r == Rec(time: 1_705_314_225_123_456, host: "web1", ident: "systemd", pid: 1, severity: -1,
                         message: "nginx.service: Deactivated successfully."))
    }

    @Test func shortFull() {
        var p = parser(zone: .named("Europe/Berlin"))
        let a = rec(run(&p, "Mon 2024-01-15 10:23:45 CET web1 systemd[1]: Started nginx.service."))
        #expect(a?.time == 1_705_310_625_000_000)
        #expect(a?.host == "web1")
        let b = rec(run(&p, "Mon 2024-01-15 10:23:45 UTC web1 systemd[1]: Started nginx.service."))
        #expect(b?.time == 1_705_314_225_000_000)
        let c = rec(run(&p, "Mon 2024-01-15 10:23:45.123456 +0100 web1 systemd[1]: x"))
        #expect(c?.time == 1_705_310_625_123_456)
    }

    @Test func yearWrittenAfterDay() {
        var p = parser(year: 2019)
        let r = rec(run(&p, "Jan  5 2024 10:23:44 router1 dhcpd: lease"))
        #expect(r?.time == 1_704_450_224_000_000)
        #expect(r?.host == "router1")
    }

    @Test func priPrefixGivesSeverity() {
        var p = parser()
        let a = rec(run(&p, "<190>Jan 15 10:23:45 web1 nginx: 2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed"))
        #expect(a?.severity == 6)
        #expect(a?.ident == "nginx")
        #expect(a?.message == "2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed")
        #expect(a?.time == 1_705_314_225_000_000)
        let b = rec(run(&p, "<3>2024-01-15T10:23:45Z web1 app[9]: boom"))
        #expect(b?.severity == 3)
        #expect(b?.pid == 9)
        // Out of range PRI: not a PRI, not a timestamp.
        #expect(run(&p, "<192>Jan 15 10:23:45 web1 x: y") == .skip(.unrecognized))
    }

    // MARK: Tags, hosts, messages

    @Test func tagShapes() {
        var p = parser()
        let a = rec(run(&p, "Jan 15 10:23:45 mail postfix/smtpd[123]: connect from x"))
        #expect(a?.ident == "postfix/smtpd")
        #expect(a?.pid == 123)
        let b = rec(run(&p, "Jun 20 13:16:22 new-db1 fail2ban.server[4158]: INFO Changed logging target"))
        #expect(b?.ident == "fail2ban.server")
        let c = rec(run(&p, "Jun 19 05:43:21 new-db1 rsyslogd-2177: imuxsock begins to drop messages"))
        #expect(c?.ident == "rsyslogd-2177")
        #expect(c?.pid == -1)
        let d = rec(run(&p, "Jan 15 10:23:45 web1 (sd-pam)[1234]: pam_unix(systemd-user:session): session closed"))
        #expect(d?.ident == "(sd-pam)")
        #expect(d?.pid == 1234)
        let e = rec(run(&p, "Sep 21 16:36:22 dhcp-24-159.brq.redhat.com /usr/libexec/gdm-x-session[1115]: (EE) Backtrace:"))
        #expect(e?.host == "dhcp-24-159.brq.redhat.com")
        #expect(e?.ident == "/usr/libexec/gdm-x-session")
        #expect(e?.message == "(EE) Backtrace:")
        // Non-numeric pid.
        let f = rec(run(&p, "Jan 15 10:23:45 web1 app[main]: x"))
        #expect(f?.ident == "app")
        #expect(f?.pid == -1)
        // No space after the colon; extra spaces of the message kept.
        let g = rec(run(&p, "Jan 15 10:23:45 web1 app:x"))
        #expect(g?.message == "x")
        let h = rec(run(&p, "Jan 15 10:23:45 web1 saslauthd[3716]: detach_tty      : master pid"))
        #expect(h?.message == "detach_tty      : master pid")
        let i = rec(run(&p, "Jan 15 10:23:45 web1 app[1]:   indented"))
        #expect(i?.message == "  indented")
    }

    @Test func emptyMessage() {
        var p = parser()
        let a = rec(run(&p, "Jan 15 10:23:45 web1 app[12]:"))
        #expect(a?.ident == "app")
        #expect(a?.pid == 12)
        #expect(a?.message == "")
        let b = rec(run(&p, "Jan 15 10:23:45 web1 app[12]: "))
        #expect(b?.message == "")
    }

    @Test func kernelUptimePrefixIsStripped() {
        var p = parser()
        let a = rec(run(&p, "Jun 19 08:06:50 new-db1 kernel: [15076984.284920] talpa-cache: Disabled"))
        #expect(a?.message == "talpa-cache: Disabled")
        #expect(a?.time == 1_718_784_410_000_000)
        let b = rec(run(&p, "Jul 14 14:31:06 linjenkins3 kernel: [    0.000000] [UFW BLOCK] IN=eth0 OUT="))
        #expect(b?.message == "[UFW BLOCK] IN=eth0 OUT=")
        // Other programs keep bracketed numbers.
        let c = rec(run(&p, "Jul 14 14:31:06 h app: [12.5] done"))
        #expect(c?.message == "[12.5] done")
        // Not an uptime stamp.
        let d = rec(run(&p, "Jul 14 14:31:06 h kernel: [UFW BLOCK] IN=eth0"))
        #expect(d?.message == "[UFW BLOCK] IN=eth0")
    }

    @Test func missingHost() {
        var p = parser()
        let a = rec(run(&p, "Jan 5 10:23:44 sshd[12]: Accepted publickey for root"))
        #expect(a == Rec(time: 1_704_450_224_000_000, host: "", ident: "sshd", pid: 12, severity: -1,
                         message: "Accepted publickey for root"))
        let b = rec(run(&p, "Jan  5 10:23:44 dnsmasq: query"))
        #expect(b?.host == "")
        #expect(b?.ident == "dnsmasq")
        // An IPv6 host with colons is a host, not a tag.
        let c = rec(run(&p, "Jan  5 10:23:44 fe80::1 app: x"))
        #expect(c?.host == "fe80::1")
        #expect(c?.ident == "app")
    }

    @Test func missingTag() {
        var p = parser()
        let r = rec(run(&p, "Nov  3 09:23:38 veridian lookup for opt failed"))
        #expect(r == Rec(time: 1_730_625_818_000_000, host: "veridian", ident: "", pid: -1, severity: -1,
                         message: "lookup for opt failed"))
    }

    // MARK: Skips

    @Test func journalctlDecorations() {
        var p = parser()
        for line in ["-- Boot 6c7c6013a26343b29e964691ff25d04c --", "-- No entries --", "-- Reboot --",
                     "-- Logs begin at Mon 2024-01-15 09:00:01 CET, end at Mon 2024-01-15 11:00:00 CET. --",
                     "-- Journal begins at Mon 2024-01-15 09:00:01 CET, ends at Mon 2024-01-15 11:00:00 CET. --",
                     "-- Journal begins at Mon 2024-01-15 09:00:01 CET"] {
            #expect(run(&p, line) == .skip(.decoration), "\(line)")
        }
        #expect(run(&p, "-- not a decoration") == .skip(.unrecognized))
    }

    @Test func continuationsAndBlanks() {
        var p = parser()
        #expect(run(&p, "\tASL Module \"com.apple.cdscheduler\" claims selected messages.") == .skip(.continuation))
        #expect(run(&p, "                                     second line of a message") == .skip(.continuation))
        #expect(run(&p, "") == .skip(.blank))
        #expect(run(&p, "   \t") == .skip(.blank))
    }

    @Test func malformedAndBadTimestamps() {
        var p = parser()
        #expect(run(&p, "Jan  5 10:23:44") == .skip(.malformed))
        #expect(run(&p, "Jan  5 10:23:44 web1") == .skip(.malformed))
        #expect(run(&p, "Jan  5 10:23:44 web1   ") == .skip(.malformed))
        #expect(run(&p, "Feb 30 10:23:44 web1 app: x") == .skip(.badTimestamp))
        #expect(run(&p, "Jan  5 24:00:00 web1 app: x") == .skip(.badTimestamp))
        #expect(run(&p, "Jan 32 10:00:00 web1 app: x") == .skip(.badTimestamp))
        #expect(run(&p, "2024-13-15T10:23:45Z web1 app: x") == .skip(.badTimestamp))
        #expect(run(&p, "2024-01-15T10:23:45+01:00x web1 app: x") == .skip(.badTimestamp))
        // Localised month (LC_TIME=fr_FR journalctl).
        #expect(run(&p, "août 19 11:08:37 nlaptop symphorien[4961]: test") == .skip(.badTimestamp))
        #expect(run(&p, "janv. 5 11:08:37 nlaptop app: test") == .skip(.badTimestamp))
    }

    @Test func otherFormatsAreUnrecognized() {
        var p = parser()
        for line in ["Header1: abc",
                     "2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed",
                     "[Mon Jan 15 10:23:45.123456 2024] [core:error] [pid 1] AH00000: x",
                     "2024-01-15 10:23:45,123 fail2ban.actions        [1]: NOTICE  [sshd] Ban 1.2.3.4",
                     "[15-Jan-2024 10:23:45] WARNING: [pool www] server reached pm.max_children setting (5)",
                     "1.2.3.4 - - [15/Jan/2024:10:23:45 +0100] \"GET / HTTP/1.1\" 521 0",
                     "Memory cgroup out of memory: Kill process 1012 (heapster) score 1035 or sacrifice child",
                     "Jan  5 10:23 web1 app: x"] {
            #expect(run(&p, line) == .skip(.unrecognized), "\(line)")
        }
    }

    // MARK: dmesg

    @Test func dmesgLinesHaveNoWallTime() {
        var p = parser()
        let a = rec(run(&p, "[890563.635409] Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled"))
        #expect(a == Rec(time: OriginRecord.noTime, host: "", ident: "", pid: -1, severity: -1,
                         message: "Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled",
                         implied: .kernel))
        let b = rec(run(&p, "[    0.000000] Linux version 6.1.0"))
        #expect(b?.message == "Linux version 6.1.0")
        #expect(b?.time == OriginRecord.noTime)
    }

    // MARK: RFC 5424 lines met by the text parser

    @Test func rfc5424LinesAreDelegated() {
        var p = parser()
        let a = rec(run(&p, "<165>1 2024-01-15T10:23:45.123456+01:00 web1 nginx 2207 - [meta x=\"1\"] worker process exited"))
        #expect(a == Rec(time: 1_705_310_625_123_456, host: "web1", ident: "nginx", pid: 2207, severity: 5,
                         message: "worker process exited"))
        let b = rec(run(&p, "2022-08-27T14:22:01.613Z space01.example NSX 3106 - [abc@6876 comp=\"abc-edge\"] keep-alive check"))
        #expect(b == Rec(time: 1_661_610_121_613_000, host: "space01.example", ident: "NSX", pid: 3106, severity: -1,
                         message: "keep-alive check"))
    }

    // MARK: Years and zones

    @Test func yearRolloverDecemberToJanuary() {
        var p = SyslogParser(context: ParseContext(zone: .utc, years: YearTracker(explicitYear: nil, referenceYear: 2025, referenceMonth: 1)))
        #expect(rec(run(&p, "Dec 31 23:59:59 web1 app: last of the year"))?.time == 1_735_689_599_000_000)
        #expect(rec(run(&p, "Jan  1 00:00:01 web1 app: first of the year"))?.time == 1_735_689_601_000_000)
    }

    @Test func dstGapInBerlin() {
        var p = parser(zone: .named("Europe/Berlin"))
        // 2024-03-31 02:30 does not exist: read with +01:00.
        #expect(rec(run(&p, "Mar 31 02:30:00 web1 app: in the gap"))?.time == 1_711_848_600_000_000)
        #expect(rec(run(&p, "Mar 31 03:00:00 web1 app: after"))?.time == 1_711_846_800_000_000)
    }

    @Test func dstOverlapInBerlin() {
        var p = parser(zone: .named("Europe/Berlin"))
        // 2024-10-27 02:30 happens twice (00:30Z and 01:30Z).
        #expect(rec(run(&p, "Oct 27 02:30:00 web1 app: first pass"))?.time == 1_729_989_000_000_000)
        #expect(rec(run(&p, "Oct 27 02:50:00 web1 app: first pass"))?.time == 1_729_990_200_000_000)
        // The clock went back: the previous line (00:50Z) makes this the second 02:30.
        #expect(rec(run(&p, "Oct 27 02:30:00 web1 app: second pass"))?.time == 1_729_992_600_000_000)
        #expect(rec(run(&p, "Oct 27 03:05:00 web1 app: after"))?.time == 1_729_994_700_000_000)
    }

    @Test func usFallBackRepeatedHour() {
        var p = parser(year: 2013, zone: .named("America/Los_Angeles"))
        #expect(rec(run(&p, "Nov  3 01:59:14 mac syslogd[634]: ASL Sender Statistics"))?.time == 1_383_469_154_000_000)
        #expect(rec(run(&p, "Nov  3 01:24:56 mac syslogd[634]: ASL Sender Statistics"))?.time == 1_383_470_696_000_000)
    }

    // MARK: Robustness

    @Test func invalidUTF8AndNulBytes() {
        var p = parser()
        var bytes = Array("Jan 15 10:23:45 web1 app[1]: ".utf8)
        bytes += [0x00, 0xFF, 0xFE, 0xC3, 0x28, 0x00]
        let r = rec(run(&p, bytes: bytes))
        #expect(r?.ident == "app")
        #expect(r?.message.unicodeScalars.count == 6)
        var hostBytes = Array("Jan 15 10:23:45 ".utf8) + [0xFF, 0x00, 0x41] + Array(" app: x".utf8)
        #expect(rec(run(&p, bytes: hostBytes))?.message == "x")
        hostBytes = [0x00, 0x00, 0x00]
        #expect(run(&p, bytes: hostBytes) == .skip(.unrecognized))
    }

    @Test func everyTruncationIsHandled() {
        var p = parser()
        let lines = ["<165>Jan 15 10:23:45.123456 web1.example postfix/smtpd[123]: connect from x",
                     "2024-01-15T10:23:45.123456+01:00 web1 systemd[1]: php8.2-fpm.service: Failed",
                     "Mon 2024-01-15 10:23:45 CET web1 systemd[1]: x",
                     "1705314225.123456 web1 systemd[1]: x",
                     "[  890563.635409] Kernel panic",
                     "Jun 19 08:06:50 new-db1 kernel: [15076984.284920] talpa-cache: Disabled",
                     "<165>1 2024-01-15T10:23:45Z web1 nginx 2207 - [a x=\"\\\"]\"] m",
                     "-- Boot 6c7c6013a26343b29e964691ff25d04c --"]
        for line in lines {
            let bytes = Array(line.utf8)
            for n in 0...bytes.count {
                _ = run(&p, bytes: Array(bytes.prefix(n)))
                _ = run(&p, bytes: Array(bytes.suffix(n)))
            }
        }
        // A cut line still gives the readable prefix.
        #expect(rec(run(&p, "Jun 20 12:47:50 new-db1 kernel: [15180341.355978] [23123]  1002 23123   181390    3780"))?.message
                == "[23123]  1002 23123   181390    3780")
    }

    @Test func randomBytesNeverCrash() {
        var p = parser()
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("Jan 0123456789:.-[]<>T+Z kernel: \t".utf8) + [0x00, 0xFF]
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<48, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            _ = run(&p, bytes: bytes)
            _ = bytes.withUnsafeBytes { SyslogParser.sniff($0) }
        }
    }

    // MARK: Sniffing

    @Test func sniffScores() {
        #expect(sniff("Jan  5 10:23:44 web1 sshd[12]: Accepted") == 3)
        #expect(sniff("Jan 05 10:23:44.123456 web1 systemd[1]: x") == 3)
        #expect(sniff("Jan  5 10:23:44 web1 kernel: Out of memory") == 2)
        #expect(sniff("2024-01-15T10:23:45.123456+01:00 web1 systemd[1]: x") == 3)
        #expect(sniff("1705314225.123456 web1 systemd[1]: x") == 3)
        #expect(sniff("<190>Jan 15 10:23:45 web1 nginx: x") == 2)
        #expect(sniff("-- Boot 6c7c6013a26343b29e964691ff25d04c --") == 2)
        #expect(sniff("Nov  3 09:23:38 veridian lookup for opt failed") == 1)
        #expect(sniff("[890563.635409] Kernel panic") == 1)
        #expect(sniff("2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed") == 0)
        #expect(sniff("[Mon Jan 15 10:23:45.123456 2024] [core:error] [pid 1] AH00000: x") == 0)
        #expect(sniff("2024-01-15 10:23:45,123 fail2ban.actions        [1]: NOTICE  [sshd] Ban 1.2.3.4") == 0)
        #expect(sniff("<165>1 2024-01-15T10:23:45Z web1 nginx 2207 - - x") == 0)
        #expect(sniff("[15-Jan-2024 10:23:45] WARNING: [pool www] x") == 0)
        #expect(sniff("\tcontinued") == 0)
        #expect(sniff("{\"EdgeResponseStatus\":521}") == 0)
    }

    @Test func journalctlDetection() {
        func lines(_ s: [String]) -> [[UInt8]] { s.map { Array($0.utf8) } }
        #expect(SyslogParser.looksLikeJournalctl(lines: lines(["-- Journal begins at Mon 2024-01-15 09:00:01 CET, ends at Mon 2024-01-15 11:00:00 CET. --",
                                                                "Jan 15 10:23:45 web1 systemd[1]: x"])))
        #expect(SyslogParser.looksLikeJournalctl(lines: lines(["Jan 05 10:23:45 web1 systemd[1]: x"])))
        #expect(SyslogParser.looksLikeJournalctl(lines: lines(["1705314225.123456 web1 systemd[1]: x"])))
        #expect(!SyslogParser.looksLikeJournalctl(lines: lines(["Jan  5 10:23:45 web1 systemd[1]: x",
                                                                 "Jan 15 10:23:45 web1 systemd[1]: x"])))
    }

    @Test func registrySniffsSyslogAndJournalctl() {
        func lines(_ s: [String]) -> [[UInt8]] { s.map { Array($0.utf8) } }
        let syslog = ParserRegistry.sniff(lines: lines(["Jan  5 10:23:44 web1 kernel: Out of memory: Killed process 2291 (php-fpm8.2)",
                                                         "Jan  5 10:23:45 web1 systemd[1]: php8.2-fpm.service: Main process exited, code=killed, status=9/KILL"]))
        #expect(syslog.format == .syslog3164)
        let jctl = ParserRegistry.sniff(lines: lines(["-- Boot 6c7c6013a26343b29e964691ff25d04c --",
                                                       "Jan 05 10:23:45 web1 systemd[1]: x",
                                                       "    continued"]))
        #expect(jctl.format == .journalctlText)
        #expect(ParserRegistry.parserType(for: .journalctlText) == SyslogParser.self)
    }
}
