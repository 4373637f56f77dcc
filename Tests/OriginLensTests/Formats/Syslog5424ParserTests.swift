import Testing
@testable import OriginLens

/// An owned copy of an `OriginRecord` (fields copied inside the parse closure).
private struct Rec: Equatable {
    var time: Int64
    var host: String
    var ident: String
    var pid: Int
    var severity: Int
    var msgid: String
    var message: String
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
                        severity: r.severity, msgid: r.module.string(), message: r.message.string()))
    case .edge: return .edge
    case .skip(let s): return .skip(s)
    }
}

private func run(_ p: inout Syslog5424Parser, _ s: String) -> Out {
    UnsafeRawBufferPointer.withBytes(of: s) { copy(p.parse($0)) }
}

private func run(_ p: inout Syslog5424Parser, bytes: [UInt8]) -> Out {
    bytes.withUnsafeBytes { copy(p.parse($0)) }
}

private func rec(_ o: Out) -> Rec? {
    if case .rec(let r) = o { return r }
    return nil
}

private func sniff(_ s: String) -> Int {
    UnsafeRawBufferPointer.withBytes(of: s) { Syslog5424Parser.sniff($0) }
}

private func parser(zone: TimeZoneSpec = .utc) -> Syslog5424Parser {
    Syslog5424Parser(context: ParseContext(zone: zone))
}

@Suite struct Syslog5424ParserTests {
    @Test func referenceLayout() {
        var p = parser()
        let r = rec(run(&p, "<30>1 2024-01-15T10:23:45.123456+01:00 web1 systemd 1 - [origin software=\"rsyslogd\"] php8.2-fpm.service: Failed with result 'oom-kill'."))
        #expect(r == Rec(time: 1_705_310_625_123_456, host: "web1", ident: "systemd", pid: 1, severity: 6, msgid: "",
                         message: "php8.2-fpm.service: Failed with result 'oom-kill'."))
    }

    @Test func rfcExamples() {
        var p = parser()
        // RFC 5424 §6.5 example 1: BOM before MSG, nil PROCID and SD.
        let a = rec(run(&p, "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{FEFF}'su root' failed for lonvick on /dev/pts/8"))
        #expect(a == Rec(time: 1_065_910_455_003_000, host: "mymachine.example.com", ident: "su", pid: -1, severity: 2,
                         msgid: "ID47", message: "'su root' failed for lonvick on /dev/pts/8"))
        // Example 2: negative offset, microseconds, no MSGID.
        let b = rec(run(&p, "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts."))
        #expect(b == Rec(time: 1_061_727_255_000_003, host: "192.0.2.1", ident: "myproc", pid: 8710, severity: 5,
                         msgid: "", message: "%% It's time to make the do-nuts."))
        // Example 4: two SD elements, no MSG.
        let c = rec(run(&p, "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]"))
        #expect(c == Rec(time: 1_065_910_455_003_000, host: "mymachine.example.com", ident: "evntslog", pid: -1, severity: 5,
                         msgid: "ID47", message: ""))
    }

    @Test func escapesInStructuredData() {
        var p = parser()
        let r = rec(run(&p, #"<13>1 2024-01-15T10:23:45Z web1 app 42 m1 [x@1 a="say \"hi\" [ok\]" b="c:\\"][y@1 z="]"] the message"#))
        #expect(r?.message == "the message")
        #expect(r?.pid == 42)
        #expect(r?.msgid == "m1")
        // Unterminated element.
        #expect(run(&p, #"<13>1 2024-01-15T10:23:45Z web1 app 42 m1 [x@1 a="\"]"#) == .skip(.malformed))
        #expect(run(&p, "<13>1 2024-01-15T10:23:45Z web1 app 42 m1 [x@1 a=\"1\"") == .skip(.malformed))
    }

    @Test func nilValuesEverywhere() {
        var p = parser()
        let r = rec(run(&p, "<14>1 - - - - - -"))
        #expect(r == Rec(time: OriginRecord.noTime, host: "", ident: "", pid: -1, severity: 6, msgid: "", message: ""))
    }

    @Test func procidNotNumeric() {
        var p = parser()
        let r = rec(run(&p, "<14>1 2024-01-15T10:23:45Z web1 app worker-3 - - x"))
        #expect(r?.pid == -1)
        #expect(r?.ident == "app")
    }

    @Test func zonelessTimestampIsLocal() {
        var p = parser(zone: .named("Europe/Berlin"))
        #expect(rec(run(&p, "<14>1 2024-01-15T10:23:45 web1 app 1 - - x"))?.time == 1_705_310_625_000_000)
    }

    @Test func withoutPriOrVersion() {
        var p = parser()
        // VERSION without PRI.
        let a = rec(run(&p, "1 2024-01-15T10:23:45Z web1 app 7 - - hello"))
        #expect(a == Rec(time: 1_705_314_225_000_000, host: "web1", ident: "app", pid: 7, severity: -1, msgid: "", message: "hello"))
        // Appliance files: TIMESTAMP HOST APP PROCID MSGID SD MSG.
        let b = rec(run(&p, "2022-08-27T17:22:01.694554+03:00 space01.example CRON 20856 - -  (root) CMD (   /usr/bin/nice)"))
        #expect(b == Rec(time: 1_661_610_121_694_554, host: "space01.example", ident: "CRON", pid: 20856, severity: -1,
                         msgid: "", message: " (root) CMD (   /usr/bin/nice)"))
        let c = rec(run(&p, "2022-08-27T14:22:01.888Z space01.example NSX 4828 SWITCHING [abc@6876 comp=\"abc-edge\" level=\"INFO\"] dynamic arp entry"))
        #expect(c?.msgid == "SWITCHING")
        #expect(c?.message == "dynamic arp entry")
        // RFC 3164-style ISO lines are not 5424.
        #expect(run(&p, "2024-01-15T10:23:45.123456+01:00 web1 systemd[1]: php8.2-fpm.service: Failed with result 'oom-kill'.") == .skip(.unrecognized))
        #expect(run(&p, "2024-01-15T10:23:45+01:00 web1 kernel: Out of memory: Killed process 1 (x)") == .skip(.unrecognized))
        #expect(run(&p, "2024-01-15T10:23:45+01:00 web1 app - - a message") == .skip(.unrecognized))
    }

    @Test func brokenLines() {
        var p = parser()
        #expect(run(&p, "<13>1 2024-13-15T10:23:45Z web1 app 1 - - x") == .skip(.badTimestamp))
        #expect(run(&p, "<13>1 Jan 15 10:23:45 web1 app 1 - - x") == .skip(.badTimestamp))
        #expect(run(&p, "<13>1 2024-01-15T10:23:45Z web1 app 1") == .skip(.malformed))
        #expect(run(&p, "<13>1 2024-01-15T10:23:45Z web1 app 1 -") == .skip(.malformed))
        #expect(run(&p, "<13>1 2024-01-15T10:23:45Z web1 app 1 - x msg") == .skip(.malformed))
        #expect(run(&p, "<13>1 2024-01-15T10:23:45Z web1 app 1 - [a]x") == .skip(.malformed))
        // RFC 3164 with PRI belongs to the text parser.
        #expect(run(&p, "<13>Jan 15 10:23:45 web1 app: x") == .skip(.unrecognized))
        #expect(run(&p, "Jan 15 10:23:45 web1 app: x") == .skip(.unrecognized))
        #expect(run(&p, "") == .skip(.blank))
        #expect(run(&p, "  continued") == .skip(.continuation))
    }

    @Test func robustness() {
        var p = parser()
        let bytes = Array("<13>1 2024-01-15T10:23:45Z web1 app 1 - [a@1 k=\"\\\"]\"] ".utf8) + [0x00, 0xFF, 0xEF, 0xBB]
        #expect(rec(run(&p, bytes: bytes))?.ident == "app")
        for n in 0...bytes.count {
            _ = run(&p, bytes: Array(bytes.prefix(n)))
            _ = run(&p, bytes: Array(bytes.suffix(n)))
            _ = Array(bytes.prefix(n)).withUnsafeBytes { Syslog5424Parser.sniff($0) }
        }
        // BOM cut short stays in the message.
        #expect(rec(run(&p, bytes: Array("<13>1 - h a 1 - - ".utf8) + [0xEF, 0xBB]))?.message.unicodeScalars.count == 1)
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("<1>2024-01-15T10:23:45Z []\"\\=@ -".utf8) + [0x00, 0xFF]
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<60, using: &rng)
            let b = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            _ = run(&p, bytes: b)
            _ = b.withUnsafeBytes { Syslog5424Parser.sniff($0) }
        }
    }

    @Test func sniffScores() {
        #expect(sniff("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - x") == 3)
        #expect(sniff("<34>1 - - - - - -") == 3)
        #expect(sniff("<34>1 garbage") == 1)
        #expect(sniff("1 2024-01-15T10:23:45Z web1 app 7 - - hello") == 3)
        #expect(sniff("2022-08-27T14:22:01.613Z space01 NSX 3106 - [abc@6876 comp=\"abc-edge\"] keep-alive") == 2)
        #expect(sniff("2024-01-15T10:23:45.123456+01:00 web1 systemd[1]: x") == 0)
        #expect(sniff("<13>Jan 15 10:23:45 web1 app: x") == 0)
        #expect(sniff("Jan 15 10:23:45 web1 app: x") == 0)
        #expect(sniff("2024-01-15 10:23:45,123 fail2ban.actions        [1]: NOTICE  [sshd] Ban 1.2.3.4") == 0)
        #expect(sniff("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK") == 0)
    }

    @Test func registryPicksRFC5424() {
        let lines = ["<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\"] An application event",
                     "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed"].map { Array($0.utf8) }
        #expect(ParserRegistry.sniff(lines: lines).format == .syslog5424)
        let bare = ["2022-08-27T14:22:01.613Z space01 NSX 3106 - [abc@6876 comp=\"abc-edge\"] keep-alive",
                    "2022-08-27T17:22:01.694554+03:00 space01 CRON 20856 - -  (root) CMD x"].map { Array($0.utf8) }
        #expect(ParserRegistry.sniff(lines: bare).format == .syslog5424)
    }
}
