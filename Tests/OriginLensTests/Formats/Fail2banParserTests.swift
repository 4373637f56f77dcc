import Testing
@testable import OriginLens

@Suite struct Fail2banParserTests {
    // Reference §8.5.
    static let examples = [
        "2024-01-15 10:23:45,123 fail2ban.actions        [812]: NOTICE  [nginx-limit-req] Ban 162.158.87.3",
        "2024-01-15 10:33:45,456 fail2ban.actions        [812]: NOTICE  [nginx-limit-req] Unban 162.158.87.3",
        "2024-01-15 10:23:44,987 fail2ban.filter         [812]: INFO    [nginx-limit-req] Found 162.158.87.3 - 2024-01-15 10:23:44",
    ]

    @Test func referenceExamplesInUTC() {
        var p = Fail2banParser(context: ParseContext())
        let want: [TextOriginSnap] = [
            .init(timeUs: 1_705_314_225_123_000, severity: 5, pid: 812, message: "[nginx-limit-req] Ban 162.158.87.3", ident: "fail2ban.actions", implied: .fail2ban),
            .init(timeUs: 1_705_314_825_456_000, severity: 5, pid: 812, message: "[nginx-limit-req] Unban 162.158.87.3", ident: "fail2ban.actions", implied: .fail2ban),
            .init(timeUs: 1_705_314_224_987_000, severity: 6, pid: 812, message: "[nginx-limit-req] Found 162.158.87.3 - 2024-01-15 10:23:44", ident: "fail2ban.filter", implied: .fail2ban),
        ]
        for (line, w) in zip(Self.examples, want) {
            #expect(textParse(&p, line) == .origin(w), "\(line)")
        }
    }

    @Test func zones() {
        var p = Fail2banParser(context: ParseContext(zone: .fixed(3600)))
        let t = textParse(&p, Self.examples[0]).record?.timeUs
        #expect(t == 1_705_310_625_123_000)
        var b = Fail2banParser(context: ParseContext(zone: .named("Europe/Berlin")))
        let summer = textParse(&b, "2024-07-15 10:23:45,001 fail2ban.actions        [812]: NOTICE  [sshd] Ban 203.0.113.9").record?.timeUs
        #expect(summer == 1_721_031_825_001_000)
    }

    @Test func levelsAndLayouts() {
        var p = Fail2banParser(context: ParseContext())
        let cases: [(String, Int)] = [
            ("2024-01-15 10:23:45,123 fail2ban.server         [812]: CRITICAL Unhandled exception", 2),
            ("2024-01-15 10:23:45,123 fail2ban.actions        [812]: ERROR   Failed to execute ban", 3),
            ("2024-01-15 10:23:45,123 fail2ban.actions        [812]: WARNING [sshd] 203.0.113.9 already banned", 4),
            ("2024-01-15 10:23:45,123 fail2ban.filter         [812]: DEBUG   x", 7),
            ("2024-01-15 10:23:45,123 fail2ban.filter         [812]: HEAVYDEBUG x", 7),
            ("2024-01-15 10:23:45,123 fail2ban.filter         [812]: Level 5 x", 7),
            ("2024-01-15 10:23:45,123 fail2ban.filter         [812]: STRANGE x", -1),
        ]
        for (line, sev) in cases {
            #expect(textParse(&p, line).record?.severity == sev, "\(line)")
        }
        #expect(textParse(&p, "2024-01-15 10:23:45,123 fail2ban.filter         [812]: Level 5 x").record?.message == "x")
        // Logger name longer than the 24-column pad.
        let long = textParse(&p, "2024-01-15 10:23:45,123 fail2ban.observer.something.long[812]: INFO    x").record
        #expect(long?.ident == "fail2ban.observer.something.long")
        #expect(long?.pid == 812)
        // 0.8 layout without pid.
        let old = textParse(&p, "2014-01-01 12:00:00,123 fail2ban.actions: WARNING [ssh] Ban 192.0.2.1")
        #expect(old == .origin(.init(timeUs: 1_388_577_600_123_000, severity: 4, pid: -1, message: "[ssh] Ban 192.0.2.1", ident: "fail2ban.actions", implied: .fail2ban)))
        // SYSLOG target: no time of its own.
        #expect(textParse(&p, "fail2ban.actions        [812]: NOTICE  [sshd] Ban 203.0.113.9") ==
                .origin(.init(timeUs: OriginRecord.noTime, severity: 5, pid: 812, message: "[sshd] Ban 203.0.113.9", ident: "fail2ban.actions", implied: .fail2ban)))
    }

    @Test func tracebackIsContinuation() {
        var p = Fail2banParser(context: ParseContext())
        #expect(textParse(&p, "Traceback (most recent call last):") == .skip(.unrecognized))
        _ = textParse(&p, "2024-01-15 10:23:46,001 fail2ban.actions        [812]: ERROR   Failed to execute ban jail 'nginx-limit-req' action 'iptables-multiport'")
        for line in [
            "Traceback (most recent call last):",
            "  File \"/usr/lib/python3/dist-packages/fail2ban/server/actions.py\", line 460, in __checkBan",
            "    if ip in self.__banManager:",
            "KeyError: 'x'",
        ] {
            #expect(textParse(&p, line) == .skip(.continuation), "\(line)")
        }
        #expect(textParse(&p, NginxErrorParserTests.examples[0]) == .skip(.unrecognized))
        #expect(textParse(&p, "Jan 15 10:23:45 web1 fail2ban-server[812]: x") == .skip(.unrecognized))
        #expect(textParse(&p, "# failJSON") == .skip(.decoration))
    }

    @Test func errors() {
        var p = Fail2banParser(context: ParseContext())
        #expect(textParse(&p, "") == .skip(.blank))
        #expect(textParse(&p, "2024-02-30 10:23:45,123 fail2ban.actions        [812]: INFO    x") == .skip(.badTimestamp))
        #expect(textParse(&p, "2024-01-15 10:23:45,") == .skip(.badTimestamp))
        #expect(textParse(&p, "2024-01-15 10:23:45,123 garbage") == .skip(.malformed))
        #expect(textParse(&p, "2024-01-15 10:23:45,123 fail2ban.actions        [81x]: INFO    x") == .skip(.malformed))
        #expect(textParse(&p, "2024-01-15 10:23:45,123 fail2ban.actions        [812]: ") == .skip(.malformed))
        #expect(textParse(&p, "2024-01-15 10:23:45,123 fail2ban.actions        [812]: NOTICE").record?.message == "")
        var bytes = Array("2024-01-15 10:23:45,123 fail2ban.actions        [812]: NOTICE  ".utf8)
        bytes += [0xFE, 0x00]
        #expect(textParse(&p, bytes: bytes).record?.message == "\u{FFFD}\u{0}")
    }

    @Test func sniffScores() {
        #expect(textSniff(Fail2banParser.self, Self.examples[0]) == 3)
        #expect(textSniff(Fail2banParser.self, "fail2ban.actions        [812]: NOTICE  [sshd] Ban 203.0.113.9") == 2)
        #expect(textSniff(Fail2banParser.self, "2024-01-15 10:23:45,123 myapp.worker [55]: INFO x") == 1)
        #expect(textSniff(Fail2banParser.self, NginxErrorParserTests.examples[0]) == 0)
        #expect(textSniff(Fail2banParser.self, "2024-01-15T10:23:45.123456+01:00 web1 nginx[1]: x") == 0)
    }

    @Test func neverCrashes() {
        textRobustness(Fail2banParser.self, lines: Self.examples + ["fail2ban.actions [1]: Level 5 x", "2014-01-01 12:00:00,123 fail2ban.actions: WARNING x"])
    }
}
